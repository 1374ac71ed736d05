/**
 * `jcc list` run as a child process against the running gateways and
 * network: the users' lists with their filters, the bookmark round trip,
 * `--all`, `--json`, access (no token, wrong role) and the agency search.
 *
 * Environment: JCC_GATEWAY (default http://127.0.0.1:8101).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueReport } from '../../cli/src/lib/api.js';
import type { GatewayClient } from '../../cli/src/lib/http.js';
import { client, GATEWAY_URL, randomUscc, token, waitForGateway } from './fixtures.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'cli', 'bin', 'jcc.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `jcc args...`; never throws on a non-zero exit. */
function jcc(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', JCC_TOKEN: undefined, JCC_GATEWAY: GATEWAY_URL, ...env }, timeout: 110_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

interface Page {
  records: Array<Record<string, unknown>>;
  bookmark: string;
  indexedThrough?: { blockNumber: number } | null;
}

function page(run: Run): Page {
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Page;
}

/** Polls `jcc` until `accept` holds for its JSON page. */
async function untilPage(args: string[], env: Record<string, string>, accept: (p: Page) => boolean, what: string): Promise<Page> {
  const deadline = Date.now() + 30_000;
  let last: Page | undefined;
  while (Date.now() < deadline) {
    last = page(await jcc(args, env));
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} not reached; last: ${JSON.stringify(last).slice(0, 1000)}`);
}

async function pseudonym(regulator: GatewayClient, subject: object): Promise<string> {
  return (await regulator.request<{ pseudonym: string }>('POST', '/api/v1/subjects/lookup', { body: { subject }, auth: 'required' })).body
    .pseudonym;
}

describe('jcc list (CLI) against the running network', function () {
  let operator: GatewayClient;
  let regulator: GatewayClient;
  let op: string;
  let reg: string;

  before(async () => {
    await waitForGateway();
    operator = await client('operator');
    regulator = await client('regulator');
    op = await token('operator');
    reg = await token('regulator');
  });

  it("pages through the city's reports with --bookmark, each once, and --all reads every page", async () => {
    const subject = { kind: 'enterprise' as const, uscc: randomUscc() };
    const ids: string[] = [];
    for (const anchor of ['single', 'batch', 'single'] as const) {
      const issued = await issueReport(operator, {
        subject,
        reportType: 'publicCreditReport',
        content: { n: ids.length },
        validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        anchor,
      });
      ids.push(issued.id);
    }
    const p = await pseudonym(regulator, subject);
    const seen: string[] = [];
    let bookmark = '';
    let pages = 0;
    do {
      const args = ['list', 'reports', '--subject', p, '--page-size', '2', '--json', ...(bookmark ? ['--bookmark', bookmark] : [])];
      const got = page(await jcc(args, { JCC_TOKEN: op }));
      seen.push(...got.records.map((r) => String(r.id)));
      bookmark = got.bookmark;
      pages++;
    } while (bookmark);
    assert.equal(pages, 2);
    assert.deepEqual([...seen].sort(), [...ids].sort(), 'every report once');
    const all = page(await jcc(['list', 'reports', '--subject', p, '--page-size', '1', '--all', '--json'], { JCC_TOKEN: op }));
    assert.deepEqual(
      all.records.map((r) => r.id),
      seen,
      'the same order',
    );
    const human = await jcc(['list', 'reports', '--subject', p, '--page-size', '2'], { JCC_TOKEN: op });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /next page: --bookmark \S+/);
    assert.match(human.stdout, new RegExp(seen[0]!));
  });

  it('lists black-list entries with their status for a regulator, an upheld objection included', async () => {
    const subject = { kind: 'enterprise' as const, uscc: randomUscc() };
    const created = await operator.request<{ id: string; city: string }>('POST', '/api/v1/list-entries', {
      body: { subject, listType: 'black', legalBasis: '严重失信主体认定办法', measures: ['限制参与招投标'], startDate: '2026-01-01' },
      auth: 'required',
    });
    const entry = created.body;
    const objection = await operator.request<{ objectionId: string; city: string }>(
      'POST',
      `/api/v1/list-entries/${entry.city}/${entry.id}/objections`,
      { body: { grounds: 'wrong subject' }, auth: 'required' },
    );
    const p = await pseudonym(regulator, subject);
    const pending = await untilPage(
      ['list', 'objections', '--state', 'pending', '--page-size', '200', '--json'],
      { JCC_TOKEN: op },
      (x) => x.records.some((o) => o.objectionId === objection.body.objectionId),
      'the pending objection',
    );
    const o = pending.records.find((r) => r.objectionId === objection.body.objectionId)!;
    assert.equal(o.overdue, false);
    assert.ok(typeof o.deadline === 'string');
    await operator.request('POST', `/api/v1/objections/${objection.body.city}/${objection.body.objectionId}/answer`, {
      body: { outcome: 'upheld', note: 'confirmed' },
      auth: 'required',
    });
    const listed = await untilPage(
      ['list', 'entries', '--type', 'black', '--subject', p, '--status', 'objectionUpheld', '--json'],
      { JCC_TOKEN: reg },
      (x) => x.records.length === 1,
      'the entry removed by the upheld objection',
    );
    assert.equal(listed.records[0]!.id, entry.id);
    assert.equal(typeof listed.indexedThrough?.blockNumber, 'number');
    const stillListed = page(await jcc(['list', 'entries', '--subject', p, '--status', 'listed', '--json'], { JCC_TOKEN: reg }));
    assert.deepEqual(stillListed.records, []);
  });

  it('finds agencies by a Chinese name fragment and by USCC without a token, with their alliance standing', async () => {
    const tag = Date.now().toString(36).toUpperCase();
    const name = `胶东${tag}信用服务有限公司`;
    const uscc = randomUscc();
    await operator.request('POST', '/api/v1/agencies', {
      body: { uscc, name, services: ['credit reports'], allianceMember: true },
      auth: 'required',
    });
    await operator.request('POST', `/api/v1/agencies/${uscc}/status`, {
      body: { status: 'suspended', reason: '暂停整改' },
      auth: 'required',
    });
    const found = await untilPage(
      ['list', 'agencies', '-q', `${tag}信用`, '--json'],
      {},
      (x) => x.records.length === 1 && x.records[0]!.status === 'suspended',
      'the agency found by name',
    );
    assert.equal(found.records[0]!.uscc, uscc);
    assert.equal(found.records[0]!.allianceStanding, 'suspended');
    const byUscc = await jcc(['list', 'agencies', '-q', uscc]);
    assert.equal(byUscc.code, 0, byUscc.stderr);
    assert.match(byUscc.stdout, new RegExp(name));
    assert.match(byUscc.stdout, /alliance: suspended/);
    const good = page(await jcc(['list', 'agencies', '-q', `${tag}信用`, '--alliance', 'goodStanding', '--json']));
    assert.deepEqual(good.records, []);
    const shown = await jcc(['agency', uscc]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /not in good standing/);
    assert.match(shown.stdout, /暂停整改/);
  });

  it('refuses without a token (exit 2), with a role that may not see (exit 5), and a filter the list does not take (exit 2)', async () => {
    const none = await jcc(['list', 'entries']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /token/);
    const alliance = await jcc(['list', 'entries'], { JCC_TOKEN: await token('alliance') });
    assert.equal(alliance.code, 5, alliance.stderr);
    const otherCity = await jcc(['list', 'entries', '--city', 'rizhao'], { JCC_TOKEN: op });
    assert.equal(otherCity.code, 5, "an operator may not list another city's entries");
    const wrong = await jcc(['list', 'entries', '--grade', 'A'], { JCC_TOKEN: op });
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--grade does not apply/);
    const unknown = await jcc(['list', 'everything'], { JCC_TOKEN: op });
    assert.equal(unknown.code, 2);
  });
});
