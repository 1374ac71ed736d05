/**
 * `jcc` run as a child process against the running gateways and network:
 * issue, status, verify (online and --offline), agency, token, and the exit
 * codes scripts rely on.
 *
 * Environment: JCC_GATEWAY (default http://127.0.0.1:8101); the network
 * description at .runtime/network.json (or JCC_NETWORK_FILE) for --offline.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  client,
  fileAgency,
  GATEWAY_CITY,
  GATEWAY_URL,
  issueRevokedSample,
  randomUscc,
  tamper,
  token,
  waitForGateway,
  type IssuedSample,
} from './fixtures.js';
import { defaultGatewayUrls } from '../../scripts/demo/context.js';
import { demoIdentity } from '../../scripts/demo/identities.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'cli', 'bin', 'jcc.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `jcc args...` with the given extra environment; never throws on a non-zero exit. */
function jcc(args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<Run> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', JCC_TOKEN: undefined, JCC_GATEWAY: GATEWAY_URL, ...env },
        timeout: 110_000,
        maxBuffer: 8 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

function json<T = Record<string, unknown>>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}): ${run.stdout}\nstderr: ${run.stderr}`);
  }
}

/** A local TCP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

type Verdict = {
  valid: boolean;
  checks: { check: string; ok: boolean; detail: string }[];
  anchor: { mode: string; txId?: string; blockNumber?: number };
};

describe('jcc (CLI) against the running network', function () {
  let work: string;
  let operatorToken: string;
  let single: { id: string; file: string };
  let batch: { id: string; file: string };
  let revoked: IssuedSample;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'jcc-cli-'));
    await waitForGateway();
    operatorToken = await token('operator');
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('without the network', () => {
    it('prints help with the exit codes (exit 0)', async () => {
      const run = await jcc(['--help']);
      assert.equal(run.code, 0);
      for (const command of ['issue', 'status', 'verify', 'agency', 'token']) assert.match(run.stdout, new RegExp(`\\b${command}\\b`));
      assert.match(run.stdout, /Exit codes:/);
    });

    it('exits 2 on a usage error: unknown command, missing argument, unreadable file, malformed USCC', async () => {
      for (const args of [['bogus'], ['verify'], ['verify', join(work, 'nonexistent.json')], ['agency', 'ABC']]) {
        const run = await jcc(args);
        assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
        assert.notEqual(run.stderr.trim(), '');
      }
    });

    it('exits 3 with a clear message when the gateway is unreachable', async () => {
      const port = await closedPort();
      const run = await jcc(['agency', randomUscc(), '--gateway', `http://127.0.0.1:${port}`]);
      assert.equal(run.code, 3);
      assert.match(run.stderr, new RegExp(`cannot reach the gateway at http://127.0.0.1:${port}`));
    });

    it('exits 2 when a protected command has no token', async () => {
      const run = await jcc(['status', 'qd-any']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /JCC_TOKEN/);
    });
  });

  describe('token', () => {
    it('prints a JWT the gateway accepts', async () => {
      const identity = await demoIdentity('regulator', defaultGatewayUrls());
      const run = await jcc(['token', '--city', GATEWAY_CITY, '--role', 'regulator', '--identity', identity.id, '--key', identity.keyFile]);
      assert.equal(run.code, 0, run.stderr);
      const jwt = run.stdout.trim();
      assert.match(jwt, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      const status = await jcc(['status', 'no-such-report-id'], { JCC_TOKEN: jwt });
      assert.equal(status.code, 4, `a regulator token is accepted, the report is not found: ${status.stderr}`);
    });

    it('refuses a regulator token without the holder key (exit 2)', async () => {
      assert.equal((await jcc(['token', '--city', 'qingdao', '--role', 'regulator'])).code, 2);
    });

    it('refuses an unknown role (exit 2)', async () => {
      assert.equal((await jcc(['token', '--city', 'qingdao', '--role', 'mayor'])).code, 2);
    });
  });

  describe('issue and status', () => {
    it('issues a single-anchored report, waits for the anchor and saves its bundle', async () => {
      const file = join(work, 'single.json');
      const run = await jcc(
        ['issue', '--uscc', randomUscc(), '--content', '{"summary":"clean record (cli test)"}', '--wait', '90', '--out', file, '--json'],
        { JCC_TOKEN: operatorToken },
      );
      assert.equal(run.code, 0, run.stderr);
      const out = json<{ id: string; jws: string; report: { state: string; anchor: { mode: string; txId: string } } }>(run);
      assert.equal(out.report.state, 'anchored');
      assert.equal(out.report.anchor.mode, 'single');
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { jws: string };
      assert.equal(saved.jws, out.jws);
      single = { id: out.id, file };
    });

    it('issues a batch-anchored report whose bundle holds the inclusion proof', async () => {
      const file = join(work, 'batch.json');
      const run = await jcc(['issue', '--uscc', randomUscc(), '--anchor', 'batch', '--wait', '110', '--out', file], {
        JCC_TOKEN: operatorToken,
      });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^report {3}\S+/m);
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { jws: string; proof: { root: string; auditPath: string[] } };
      assert.match(saved.proof.root, /^[0-9a-f]{64}$/);
      batch = { id: /^report {3}(\S+)/m.exec(run.stdout)?.[1] as string, file };
    });

    it('shows the state of a report (human and --json) and exits 4 for an unknown one', async () => {
      const human = await jcc(['status', single.id], { JCC_TOKEN: operatorToken });
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /state {4}anchored/);
      const machine = json<{ id: string; state: string }>(await jcc(['status', single.id, '--json'], { JCC_TOKEN: operatorToken }));
      assert.equal(machine.id, single.id);
      const unknown = await jcc(['status', `nope-${Date.now()}`, '--json'], { JCC_TOKEN: operatorToken });
      assert.equal(unknown.code, 4);
      assert.equal(json<{ error: { exitCode: number } }>(unknown).error.exitCode, 4);
    });

    it('refuses a subject with a wrong check character before calling the gateway (exit 2)', async () => {
      const uscc = randomUscc();
      const wrong = uscc.slice(0, 17) + (uscc.endsWith('0') ? '1' : '0');
      const run = await jcc(['issue', '--uscc', wrong], { JCC_TOKEN: operatorToken });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /check character/);
    });

    it('exits 5 when the token does not allow issuing (regulator)', async () => {
      const run = await jcc(['issue', '--uscc', randomUscc()], { JCC_TOKEN: await token('regulator') });
      assert.equal(run.code, 5, run.stderr);
    });
  });

  describe('verify', () => {
    before(async () => {
      revoked = await issueRevokedSample(await client('operator'));
      writeFileSync(join(work, 'revoked.json'), JSON.stringify(revoked.bundle));
      const saved = JSON.parse(readFileSync(single.file, 'utf8')) as { jws: string };
      writeFileSync(join(work, 'tampered.jws'), tamper(saved.jws));
    });

    for (const mode of ['online', 'offline'] as const) {
      const extra = mode === 'offline' ? ['--offline'] : [];

      it(`${mode}: a valid single-anchored document → VALID, exit 0`, async () => {
        const run = await jcc(['verify', single.file, ...extra]);
        assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
        assert.match(run.stdout, /^VALID 有效/);
        assert.match(run.stdout, /anchor {3}single, block \d+, tx [0-9a-f]{64}/);
      });

      it(`${mode}: a valid batch-anchored bundle → valid, the Merkle proof checked (--json)`, async () => {
        const run = await jcc(['verify', batch.file, '--json', ...extra]);
        assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
        const verdict = json<Verdict>(run);
        assert.equal(verdict.valid, true);
        assert.equal(verdict.anchor.mode, 'batch');
        assert.ok(verdict.checks.find((c) => c.check === 'anchored')?.ok);
      });

      it(`${mode}: a tampered document → INVALID naming the signature check, exit 1`, async () => {
        const run = await jcc(['verify', join(work, 'tampered.jws'), ...extra]);
        assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
        assert.match(run.stdout, /^INVALID 无效 .*failed: .*signature/);
        assert.match(run.stdout, /✘ signature/);
      });

      it(`${mode}: a revoked document → INVALID and REVOKED, exit 1`, async () => {
        const run = await jcc(['verify', join(work, 'revoked.json'), ...extra]);
        assert.equal(run.code, 1, `${run.stdout}\n${run.stderr}`);
        assert.match(run.stdout, /REVOKED 已撤销/);
        assert.match(run.stdout, /✘ status .*revoked/i);
      });
    }

    it('reads the document from standard input', async () => {
      const saved = readFileSync(single.file, 'utf8');
      const run = await jcc(['verify', '-', '--json'], {}, saved);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(json<Verdict>(run).valid, true);
    });

    it('--offline needs no gateway: it works with the gateway URL pointing nowhere', async () => {
      const run = await jcc([
        'verify',
        single.file,
        '--offline',
        '--as',
        'weihai',
        '--json',
        '--gateway',
        `http://127.0.0.1:${await closedPort()}`,
      ]);
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      const verdict = json<Verdict & { ledgerCity: string }>(run);
      assert.equal(verdict.valid, true);
      assert.equal(verdict.ledgerCity, 'weihai');
    });

    it('--offline exits 3 when there is no network description', async () => {
      const run = await jcc(['verify', single.file, '--offline', '--network', join(work, 'missing-network.json')]);
      assert.equal(run.code, 3);
      assert.match(run.stderr, /no network description/);
    });
  });

  describe('agency', () => {
    it('shows a filed agency (human and --json), exit 0', async () => {
      const uscc = await fileAgency(await client('operator'), 'Jiaodong Trust Ratings Ltd (cli test)');
      const human = await jcc(['agency', uscc]);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /agency {3}Jiaodong Trust Ratings Ltd \(cli test\)/);
      assert.match(human.stdout, /status {3}active/);
      const machine = json<{ uscc: string; filingCity: string; allianceMember: boolean }>(
        await jcc(['agency', uscc.toLowerCase(), '--json']),
      );
      assert.equal(machine.uscc, uscc);
      assert.equal(machine.filingCity, GATEWAY_CITY);
      assert.equal(machine.allianceMember, true);
    });

    it('exits 4 and says not found for an agency no city has filed', async () => {
      const run = await jcc(['agency', randomUscc()]);
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /not found 未找到/);
    });
  });

  describe('access-report', () => {
    it('refuses a call without a subject (usage, exit 2)', async () => {
      const run = await jcc(['access-report'], { JCC_TOKEN: operatorToken });
      assert.equal(run.code, 2, run.stderr);
    });
  });
});
