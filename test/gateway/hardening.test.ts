/**
 * The gateway facing hostile clients (issue 11 §2): every finding of the
 * fuzzing and probing, reproduced against real gateways on the real network.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read as loosely typed JSON */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../gateway/src/config/config.js';
import { startGateway, type RunningGateway } from '../../gateway/src/gateway.js';
import { REDACTED_PATHS } from '../../gateway/src/http/logging.js';
import {
  call,
  dataDir,
  gateways,
  importEvaluations,
  issueAnchoredAt,
  runTag,
  testEnv,
  testIdNumber,
  testUrl,
  testUscc,
  token,
  until,
} from './harness.js';

const inAYear = (): string => new Date(Date.now() + 365 * 86_400_000).toISOString();
const b64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Sends raw bytes on a new connection; resolves with what came back when the server closes it. */
function rawExchange(port: number, chunks: string[]): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('error', () => undefined);
  });
  socket.on('connect', () => {
    for (const c of chunks) socket.write(c);
  });
  return { socket, closed };
}

function assertProblem(res: { status: number; headers: Headers; body: any }, status: number): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.doesNotMatch(JSON.stringify(res.body), /\.ts:\d+|node_modules|at [A-Za-z.]+ \(/);
}

describe('hardening against hostile clients', function () {
  before(async function () {
    await gateways();
  });

  it('finding 1: a token header with CR/LF or non-ASCII characters gets a 401 problem, never a 500 page', async function () {
    for (const alg of ['Ed\r\nX-Injected: 1', 'EdDSA\u00e9', '\u6f22\u5b57', 'x"\\\u0000']) {
      const forged = `${b64url(JSON.stringify({ alg, kid: 'k\r\n1', typ: 'JWT' }))}.${b64url('{"iss":"qingdao"}')}.AAAA`;
      const res = await call('qingdao', 'GET', '/api/v1/audit', { token: forged });
      assertProblem(res, 401);
      const challenge = res.headers.get('www-authenticate') ?? '';
      assert.match(challenge, /^Bearer /);
      assert.match(challenge, /^[\x20-\x7e]*$/, 'the header is printable ASCII');
      assert.equal(res.headers.get('x-injected'), null);
    }
  });

  it('finding 3: unmatched URLs share one metrics label and their raw paths are never logged', async function () {
    const id = testIdNumber(Number.parseInt(runTag.slice(-4), 36));
    for (const path of [`/api/v1/nothing/${id}`, `/${id}`, `/api/v1/reports/${id}/nothing`])
      assert.equal((await call('weihai', 'GET', path)).status, 404);
    const metrics = await (await fetch(`${testUrl('weihai')}/metrics`)).text();
    assert.ok(!metrics.includes(id), 'the identity number appears in /metrics');
    const routes = new Set([...metrics.matchAll(/jcc_http_request_duration_seconds_count\{[^}]*route="([^"]*)"/g)].map((m) => m[1]));
    for (const r of routes) assert.match(r ?? '', /^(\/[A-Za-z0-9{}/._-]*|unmatched|static)$/, `route label ${r}`);
    const log = readFileSync(join(dataDir, 'logs', 'weihai.log'), 'utf8');
    assert.ok(!log.includes(id), 'the identity number appears in the log');
  });

  it('finding 5: bad percent-encoding in a path parameter is a 400 problem', async function () {
    for (const path of ['/api/v1/public/agencies/%ZZ', '/api/v1/reports/%E0%A4%A', '/api/v1/cities/%']) {
      const res = await call('yantai', 'GET', path, { token: await token('yantai', 'operator') });
      assertProblem(res, 400);
    }
  });

  it('finding 6: lone surrogates, integers beyond 2^53 and deep nesting are 400, and nothing is issued', async function () {
    const op = await token('weifang', 'operator');
    const base = {
      subject: { kind: 'enterprise', uscc: testUscc(`H6${runTag}`) },
      reportType: 'publicCreditReport',
      validUntil: inAYear(),
    };
    const bodies = [
      JSON.stringify({ ...base, content: { note: 'x' } }).replace('"x"', '"\\ud800"'),
      JSON.stringify({ ...base, content: { note: 'x' } }).replace('"x"', '"\\udc00 tail"'),
      JSON.stringify({ ...base, content: { n: 1 } }).replace(':1}', ':9007199254740993}'),
      JSON.stringify({ ...base, content: { n: 1 } }).replace(':1}', ':-12345678901234567890}'),
      JSON.stringify({ ...base, content: { deep: 1 } }).replace(':1}', `:${'['.repeat(5000)}${']'.repeat(5000)}}`),
      JSON.stringify({ ...base, content: { deep: 1 } }).replace(':1}', `:${'{"a":'.repeat(100)}1${'}'.repeat(100)}}`),
    ];
    for (const [i, raw] of bodies.entries()) {
      for (const headers of [{}, { 'Idempotency-Key': `h6-${runTag}-${i}` }] as Array<Record<string, string>>) {
        const res = await call('weifang', 'POST', '/api/v1/reports', { token: op, raw, contentType: 'application/json', headers });
        assertProblem(res, 400);
      }
    }
    const verify = await call('weifang', 'POST', '/api/v1/verify', { raw: '{"jws":"\\ud800"}', contentType: 'application/json' });
    assertProblem(verify, 400);
  });

  it('issue 10 §7: any RFC 3339 timestamp is accepted and signed as UTC milliseconds', async function () {
    const op = await token('rizhao', 'operator');
    const cases: Array<[string, string]> = [
      ['2027-06-30T12:00:00+08:00', '2027-06-30T04:00:00.000Z'],
      ['2027-06-30t12:00:00.5z', '2027-06-30T12:00:00.500Z'],
      ['2027-06-30T00:30:00.123456-02:30', '2027-06-30T03:00:00.123Z'],
    ];
    for (const [given, normalised] of cases) {
      const res = await call('rizhao', 'POST', '/api/v1/reports', {
        token: op,
        body: { subject: { kind: 'enterprise', uscc: testUscc(`T${runTag}`) }, reportType: 'publicCreditReport', validUntil: given },
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const payload = JSON.parse(Buffer.from(String(res.body.jws).split('.')[1] ?? '', 'base64url').toString('utf8'));
      assert.equal(payload.validUntil, normalised, given);
    }
    for (const bad of [
      '2027-06-30T12:00:00',
      '2027-06-30 12:00:00Z',
      '2027-02-30T00:00:00Z',
      '2027-06-30T24:00:00Z',
      '2027-06-30T12:00:00+24:00',
    ])
      assertProblem(
        await call('rizhao', 'POST', '/api/v1/reports', {
          token: op,
          body: { subject: { kind: 'enterprise', uscc: testUscc(`T${runTag}`) }, reportType: 'publicCreditReport', validUntil: bad },
        }),
        400,
      );
  });

  it('finding 9: an evaluation valid until before its period ends, or already expired, is a 400', async function () {
    const op = await token('qingdao', 'operator');
    const evaluation = {
      subject: { kind: 'enterprise', uscc: testUscc(`E9${runTag}`) },
      scheme: 'qingdao-enterprise-2026',
      grade: 'A',
      periodStart: '2026-01-01',
      periodEnd: '2030-12-31',
    };
    const early = await call('qingdao', 'POST', '/api/v1/evaluations', {
      token: op,
      body: { ...evaluation, validUntil: '2029-06-30T00:00:00Z' },
    });
    assertProblem(early, 400);
    assert.ok(
      early.body.errors.some((e: { path: string }) => e.path === 'validUntil'),
      JSON.stringify(early.body),
    );
    const past = await call('qingdao', 'POST', '/api/v1/evaluations', {
      token: op,
      body: { ...evaluation, periodEnd: '2020-12-31', validUntil: '2021-06-30T00:00:00Z' },
    });
    assertProblem(past, 400);
    const bulk = await importEvaluations('qingdao', op, `${JSON.stringify({ ...evaluation, validUntil: '2029-06-30T00:00:00Z' })}\n`);
    assert.equal(bulk.rejected, 1, JSON.stringify(bulk));
    assert.equal(bulk.committed, 0);
  });

  it('finding 8: free text of list entries stays in the issuing gateway; the ledger holds only its salted hash', async function () {
    const op = await token('yantai', 'operator');
    const uscc = testUscc(`F8${runTag}`);
    const legalBasis = '张三, 手机 1 3 8 0 0 1 3 8 0 0 0, home address; 身份证 ３７０２０２１９８５０１０１００１Ｘ';
    const measures = ['限制参与政府采购', 'tel 13800138000'];
    const created = await call('yantai', 'POST', '/api/v1/list-entries', {
      token: op,
      body: { subject: { kind: 'enterprise', uscc }, listType: 'black', legalBasis, measures, startDate: '2026-11-01' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    const ledger = (await gateways()).yantai.services.ledger;
    const onLedger = await ledger.evaluate<Record<string, unknown>>('listEntries:GetEntry', { city: 'yantai', id });
    const raw = JSON.stringify(onLedger);
    for (const text of ['13800138000', '1 3 8 0', '张三', 'home address', '限制参与政府采购'])
      assert.ok(!raw.includes(text), `the ledger holds "${text}": ${raw}`);
    assert.match(String(onLedger.legalBasisHash), /^[0-9a-f]{64}$/);
    assert.match(String(onLedger.measuresHash), /^[0-9a-f]{64}$/);
    // The issuing gateway serves the text to those who may read the entry, with what proves it against the ledger.
    const read = await call('yantai', 'GET', `/api/v1/list-entries/yantai/${id}`, {
      token: await token('qingdao', 'regulator', { audience: ['yantai'] }),
    });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body.text.legalBasis.text, legalBasis);
    assert.deepEqual(read.body.text.measures.items, measures);
    const { createHash } = await import('node:crypto');
    const commit = (salt: string, text: string) => createHash('sha256').update(`${salt}:${text}`).digest('hex');
    assert.equal(commit(read.body.text.legalBasis.salt, legalBasis), onLedger.legalBasisHash);
    assert.equal(commit(read.body.text.measures.salt, JSON.stringify(measures)), onLedger.measuresHash);
    // Removal notes follow the same path.
    const removed = await call('yantai', 'POST', `/api/v1/list-entries/${id}/removal`, {
      token: op,
      body: { reason: 'courtDecision', note: '法院判决 (contact 13900139000)' },
    });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.ok(!JSON.stringify(removed.body).includes('13900139000'));
    const after = await call('yantai', 'GET', `/api/v1/list-entries/yantai/${id}`, { token: op });
    assert.equal(after.body.text.removalNote.text, '法院判决 (contact 13900139000)');
    assert.equal(commit(after.body.text.removalNote.salt, '法院判决 (contact 13900139000)'), after.body.removal.noteHash);
    // And the ledger itself refuses free text.
    await assert.rejects(
      ledger.submit('listEntries:CreateEntry', {
        id: `${id}-direct`,
        subjectPseudonym: onLedger.subjectPseudonym,
        listType: 'black',
        legalBasis: 'tel 13800138000',
        measures: ['x'],
        startDate: '2026-11-01',
      }),
      /legalBasis|unknown field/,
    );
  });

  it('finding 8: reasons of revocations and replacements, agency status reasons and supervision summaries stay in the writing gateway', async function () {
    const op = await token('qingdao', 'operator');
    const { createHash } = await import('node:crypto');
    const commit = (salt: string, text: string) => createHash('sha256').update(`${salt}:${text}`).digest('hex');
    const issueAnchored = (): Promise<{ id: string; jws: string }> =>
      issueAnchoredAt(testUrl('qingdao'), op, { anchor: 'single', summary: 'finding 8', timeoutMs: 60_000 });
    const [doc, replaced, replacement] = [await issueAnchored(), await issueAnchored(), await issueAnchored()];
    const revoked = await call('qingdao', 'POST', `/api/v1/reports/${doc.id}/revoke`, {
      token: op,
      body: { reason: '报告有误 (contact 13800138000)' },
    });
    assert.equal(revoked.status, 400, 'a phone number in a reason is refused, as before');
    const text = '报告内容有误，经复核撤销';
    const ok = await call('qingdao', 'POST', `/api/v1/reports/${doc.id}/revoke`, { token: op, body: { reason: text } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.reason, text);
    const superseded = await call('qingdao', 'POST', `/api/v1/reports/${replaced.id}/supersede`, {
      token: op,
      body: { replacementId: replacement.id, reason: '以更正后的报告替代' },
    });
    assert.equal(superseded.status, 200, JSON.stringify(superseded.body));
    const ledger = (await gateways()).qingdao.services.ledger;
    for (const [id, words] of [
      [doc.id, text],
      [replaced.id, '以更正后的报告替代'],
    ] as const) {
      const view = await ledger.evaluate<Record<string, any>>('reports:GetDocument', { city: 'qingdao', id });
      assert.ok(!JSON.stringify(view).includes(words), `the ledger holds "${words}"`);
      assert.match(String(view.status.reasonHash), /^[0-9a-f]{64}$/);
    }
    // The issuing gateway serves the reason (status and verdict); another city's verdict says where it is kept.
    const state = await call('qingdao', 'GET', `/api/v1/reports/${doc.id}`, { token: op });
    assert.equal(state.body.status.reason, text);
    assert.equal(state.body.status.reasonHash, ok.body.reasonHash);
    const home = await call('qingdao', 'POST', '/api/v1/verify', { body: { jws: doc.jws } });
    const homeStatus = home.body.checks.find((c: any) => c.check === 'status');
    assert.match(homeStatus.detail, new RegExp(`revoked .*: ${text}$`));
    const away = await until(
      () => call('weihai', 'POST', '/api/v1/verify', { body: { jws: doc.jws } }),
      (r) => r.body?.valid === false,
      30_000,
      'revoked at Weihai',
    );
    const awayStatus = away.body.checks.find((c: any) => c.check === 'status');
    assert.match(awayStatus.detail, /the reason is kept by Qingdao's gateway/);
    assert.equal(awayStatus.message.params.reasonHeldBy, 'Qingdao');
    assert.ok(!JSON.stringify(away.body).includes(text));

    // Agencies: the status reason stays with the filing city, a supervision summary with the recording city.
    const uscc = testUscc(`${runTag.slice(-6)}F8A`); // not the seeds other suites search by
    const yantai = await token('yantai', 'operator');
    assert.equal(
      (await call('yantai', 'POST', '/api/v1/agencies', { token: yantai, body: { uscc, name: '自由文本测试信用服务', services: ['x'] } }))
        .status,
      201,
    );
    const statusReason = '违规出具报告，暂停整改';
    const status = await call('yantai', 'POST', `/api/v1/agencies/${uscc}/status`, {
      token: yantai,
      body: { status: 'suspended', reason: statusReason },
    });
    assert.equal(status.status, 200, JSON.stringify(status.body));
    assert.equal(status.body.statusReason, statusReason);
    const summary = '联合检查：报告质量不合格';
    const supervision = await call('qingdao', 'POST', `/api/v1/agencies/${uscc}/supervision`, {
      token: op,
      body: { action: 'inspection', summary, date: '2026-11-20' },
    });
    assert.equal(supervision.status, 201, JSON.stringify(supervision.body));
    const onLedger = await ledger.evaluate<Record<string, any>>('agencies:GetAgency', { uscc });
    const raw = JSON.stringify(onLedger);
    for (const words of [statusReason, summary]) assert.ok(!raw.includes(words), `the ledger holds "${words}": ${raw}`);
    const atYantai = await call('yantai', 'GET', `/api/v1/agencies/${uscc}`, { token: yantai });
    assert.equal(atYantai.body.text.statusReason.text, statusReason);
    assert.equal(commit(atYantai.body.text.statusReason.salt, statusReason), onLedger.statusReasonHash);
    const atQingdao = await call('qingdao', 'GET', `/api/v1/agencies/${uscc}`, { token: op });
    assert.equal(atQingdao.body.text.statusReason, undefined);
    const key = `qingdao/${supervision.body.actionId}`;
    assert.equal(atQingdao.body.text.supervision[key].text, summary);
    assert.equal(commit(atQingdao.body.text.supervision[key].salt, summary), onLedger.supervision[0].summaryHash);
    const publicAtQingdao = await call('qingdao', 'GET', `/api/v1/public/agencies/${uscc}`);
    assert.equal(publicAtQingdao.body.statusReasonHeldBy, 'yantai');
    assert.equal(publicAtQingdao.body.supervision[0].summary, summary);
    const publicAtYantai = await call('yantai', 'GET', `/api/v1/public/agencies/${uscc}`);
    assert.equal(publicAtYantai.body.statusReason, statusReason);
    assert.equal(publicAtYantai.body.supervision[0].summaryHeldBy, 'qingdao');
    // And the ledger itself refuses the text.
    await assert.rejects(
      ledger.submit('reports:RevokeDocument', { id: replacement.id, reason: 'tel 13800138000' }),
      /reason|unknown field/,
    );
    await assert.rejects(
      ledger.submit('agencies:RecordSupervision', {
        uscc,
        actionId: `f8-${runTag}`,
        action: 'inspection',
        summary: 'x',
        date: '2026-11-20',
      }),
      /summary|unknown field/,
    );
  });

  it('finding 10: the store is readable by the gateway user only (folders 0700, files 0600)', async function () {
    /** The permission bits of a path, or undefined when LevelDB removed it meanwhile (compaction). */
    const mode = (path: string): number | undefined => statSync(path, { throwIfNoEntry: false })?.mode;
    const walk = (dir: string): void => {
      assert.equal((mode(dir) ?? 0) & 0o077, 0, `${dir} is open to others`);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else assert.equal((mode(path) ?? 0) & 0o077, 0, `${path} is open to others`);
      }
    };
    walk(join(dataDir, 'qingdao'));
  });

  describe('a gateway with tight limits', function () {
    let gw: RunningGateway;
    const port = Number(process.env.JCC_TEST_GATEWAY_PORT_BASE ?? 18100) + 90;

    before(async function () {
      const store = join(dataDir, 'rizhao-limits');
      const config = await loadConfig({
        city: 'rizhao',
        env: { ...process.env, ...testEnv('rizhao', store), JCC_VERIFY_RATE_LIMIT: '3' },
        overrides: { port },
      });
      const log = pino(
        { level: 'info', base: { city: 'rizhao' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
        pino.destination({ dest: join(dataDir, 'logs', 'rizhao-limits.log'), sync: true }),
      );
      gw = await startGateway(config, {
        log,
        http: { headersTimeoutMs: 1000, requestTimeoutMs: 60_000, bodyIdleTimeoutMs: 1000, maxConnectionsPerClient: 4 },
      });
    });

    after(async function () {
      await gw?.stop();
    });

    it('finding 2: closes connections whose headers or body stall', async function () {
      this.timeout(20_000);
      const headers = rawExchange(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\n']);
      const body = rawExchange(port, [
        'POST /api/v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"jws":',
      ]);
      await Promise.all([headers.closed, body.closed]);
    });

    it('finding 2: refuses connections beyond the per-client cap', async function () {
      this.timeout(20_000);
      const held = [0, 1, 2, 3].map(() => rawExchange(port, []));
      await new Promise((r) => setTimeout(r, 300));
      const extra = rawExchange(port, ['GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
      const answer = await extra.closed;
      assert.doesNotMatch(answer, /200 OK/);
      for (const h of held) h.socket.destroy();
      await Promise.all(held.map((h) => h.closed));
      const again = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(again.status, 200);
    });

    it('finding 4: the rate limit applies before the body is parsed', async function () {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"jws": "${'x'.repeat(1000)}`,
        });
        assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
        statuses.push(res.status);
      }
      assert.deepEqual(statuses.slice(3), [429, 429], JSON.stringify(statuses));
    });
  });
});
