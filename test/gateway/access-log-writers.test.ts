/**
 * One writer per access log (docs/access-log.md, "One writer per log"), on the
 * real network: two Qingdao gateways with stores of their own set to write the
 * same log — a second writer — and a gateway whose store was wiped. The store
 * that cannot prove continuity with the head anchored on the ledger is
 * `diverged`: /readyz answers 503 and says why, accesses are refused (503
 * `access-log-diverged`) instead of being logged where they can never be
 * proven, the metric says so, and it is logged once — never retried.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../gateway/src/config/config.js';
import { startGateway, type RunningGateway } from '../../gateway/src/gateway.js';
import { mintToken } from '../../gateway/src/auth/tokens.js';
import { REDACTED_PATHS } from '../../gateway/src/http/logging.js';
import { callAt, dataDir, gateways, runTag, testEnv, testUscc, until, waitReady } from './harness.js';

const base = Number(process.env.JCC_TEST_GATEWAY_PORT_BASE ?? 18100);
const DIVERGED = /access log diverged/;

/**
 * A Qingdao gateway of its own on `port`, with `store`, writing the log
 * `logId` and anchoring it every `anchorMs` (0: only when asked); its log file.
 */
async function start(
  port: number,
  store: string,
  logId: string,
  anchorMs: number,
): Promise<{ gw: RunningGateway; url: string; logFile: string }> {
  const logFile = join(dataDir, 'logs', `${store.split('/').pop()}.log`);
  const config = await loadConfig({
    city: 'qingdao',
    env: { ...process.env, ...testEnv('qingdao', store), JCC_ACCESS_LOG_ID: logId, JCC_ACCESS_LOG_ANCHOR_MS: String(anchorMs) },
    overrides: { port },
  });
  const log = pino(
    { level: 'info', base: { city: 'qingdao' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    pino.destination({ dest: logFile, sync: true }),
  );
  return { gw: await startGateway(config, { log }), url: `http://127.0.0.1:${port}`, logFile };
}

/** Calls a gateway of this test as Qingdao's operator. */
async function call(gw: RunningGateway, url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const op = await mintToken({ key: gw.services.keys.current('gateway'), city: 'qingdao', role: 'operator', ttlSeconds: 600 });
  const res = await callAt(url, method, path, { token: op, body });
  return { status: res.status, body: res.body };
}

/** `/readyz` of a gateway. */
async function readiness(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: await res.json() };
}

/** Lines of a gateway's log file that report the log diverged. */
function divergedLines(logFile: string): string[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => DIVERGED.test(l));
}

describe('access log: one writer per log (a second writer or a wiped store is refused, not forked)', function () {
  this.timeout(300_000);
  // A log of its own for this run, written by two stores.
  const logId = `qingdao-w${randomBytes(4).toString('hex')}`;
  const stores = [join(dataDir, `qingdao-writer-a-${runTag}`), join(dataDir, `qingdao-writer-b-${runTag}`)];
  const subject = { kind: 'enterprise' as const, uscc: testUscc(`WR${runTag}`) };
  let a: Awaited<ReturnType<typeof start>> | undefined;
  let b: Awaited<ReturnType<typeof start>> | undefined;

  before(async function () {
    this.timeout(900_000); // the first suite to start the five test gateways waits for them: minutes on a loaded machine
    await gateways();
    // The second store anchors only when asked, so the first one is the first to anchor (two stores
    // anchoring the same log in one block would leave the winner to chance).
    [a, b] = await Promise.all([start(base + 93, stores[0] as string, logId, 300), start(base + 94, stores[1] as string, logId, 0)]);
    // Nothing is anchored for the new log yet: both stores may start it.
    await Promise.all([waitReady(a.url, 240_000), waitReady(b.url, 240_000)]);
  });

  after(async function () {
    await Promise.all([a?.gw.stop(), b?.gw.stop()]);
    for (const store of stores) rmSync(store, { recursive: true, force: true });
  });

  it('lets the first store anchor the log and stops the second one there: readiness, metric and refusals say why, once', async function () {
    const [first, second] = [a, b] as [NonNullable<typeof a>, NonNullable<typeof b>];
    for (const g of [first, second]) {
      const res = await call(g.gw, g.url, 'POST', '/api/v1/subjects/lookup', { subject });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const anchored = await call(first.gw, first.url, 'POST', '/api/v1/access-log/anchor');
    assert.equal(anchored.status, 200, JSON.stringify(anchored.body));
    assert.equal(anchored.body.anchored.log, logId);
    // The second store's entries are not the anchored ones: its head is refused, and the log stops here.
    const refused = await call(second.gw, second.url, 'POST', '/api/v1/access-log/anchor');
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'ACCESS_LOG_DIVERGED');
    assert.match(refused.body.detail, new RegExp(logId));
    const ready = await readiness(second.url);
    assert.equal(ready.status, 503);
    assert.equal(ready.body.accessLogContinuous, false);
    assert.equal(ready.body.accessLog.state, 'diverged');
    assert.match(ready.body.accessLog.reason, /another gateway writes this log/);
    const lookup = await call(second.gw, second.url, 'POST', '/api/v1/subjects/lookup', { subject });
    assert.equal(lookup.status, 503, 'an access that cannot be logged is refused');
    assert.equal(lookup.body.code, 'ACCESS_LOG_DIVERGED');
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`jcc_access_log_diverged\\{log="${logId}"[^}]*\\} 1`));
    // Anchoring every 300 ms from now on: several intervals later, logged once, never retried.
    second.gw.services.accessLog.start(300);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(divergedLines(second.logFile).length, 1, divergedLines(second.logFile).join('\n'));
    assert.ok(!/anchoring failed; retrying/.test(readFileSync(second.logFile, 'utf8')), 'a CONFLICT is not retried');
    // The first store goes on: its log grows and anchors.
    assert.equal((await readiness(first.url)).status, 200);
    await call(first.gw, first.url, 'POST', '/api/v1/subjects/lookup', { subject });
    const grown = await until(
      () => first.gw.services.accessLog.anchoredHead(),
      (h) => (h?.treeSize ?? 0) > anchored.body.anchored.treeSize,
      60_000,
      'the first store anchors again',
    );
    assert.equal(grown?.previousTreeSize, anchored.body.anchored.treeSize);
  });

  it('refuses to continue the log from a wiped store (no silent fork), with a clear reason', async function () {
    const first = a as NonNullable<typeof a>;
    const size = (await first.gw.services.accessLog.anchoredHead())?.treeSize ?? 0;
    assert.ok(size > 0);
    await first.gw.stop();
    rmSync(stores[0] as string, { recursive: true, force: true });
    a = await start(base + 93, stores[0] as string, logId, 300);
    const ready = await until(
      () => readiness(a!.url).catch(() => ({ status: 0, body: {} as any })),
      (r) => r.body?.accessLog?.state === 'diverged',
      120_000,
      'the wiped store found diverged',
    );
    assert.equal(ready.status, 503);
    assert.match(ready.body.accessLog.reason, new RegExp(`head of size ${size} of the log ${logId}, this store only 0 entries`));
    const health = await (await fetch(`${a.url}/healthz`)).json();
    assert.equal(health.accessLog, 'diverged');
    const lookup = await call(a.gw, a.url, 'POST', '/api/v1/subjects/lookup', { subject });
    assert.equal(lookup.status, 503);
    assert.equal((await a.gw.services.accessLog.anchoredHead())?.treeSize, size, 'the anchored log is untouched');
  });
});
