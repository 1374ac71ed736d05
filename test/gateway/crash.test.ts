/**
 * Nothing lost: a gateway process killed with SIGKILL right after answering
 * 202 anchors the document after a restart, exactly once, in both modes; and
 * one killed in the middle of a bulk issue anchors every document it answered
 * for, each exactly once, and answers the re-sent upload with them.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sha256Hex, verifyInclusion } from '@jcc/domain';
import {
  call,
  callAt,
  dataDir,
  exited,
  gateways,
  runTag,
  spawnedOperatorToken,
  spawnGateway,
  stopChild,
  streamNdjson,
  testUscc,
  token,
  until,
  waitReady,
} from './harness.js';

const PORT = Number(process.env.JCC_TEST_CRASH_PORT ?? 18111);
const STORE = join(dataDir, 'qingdao-crash');
const url = `http://127.0.0.1:${PORT}`;
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

describe('a gateway killed right after answering 202', function () {
  let child: ChildProcess | undefined;
  let operator: string;

  before(async function () {
    await gateways(); // the other cities' gateways, for auditing and verifying
    child = spawnGateway('qingdao', PORT, STORE);
    await waitReady(url, 180_000);
    operator = await spawnedOperatorToken('qingdao', STORE);
  });

  after(async function () {
    await stopChild(child);
  });

  const post = (body: unknown, key: string) =>
    callAt<{ id: string; jws: string }>(url, 'POST', '/api/v1/reports', { token: operator, body, headers: { 'idempotency-key': key } });

  for (const anchor of ['single', 'batch'] as const) {
    it(`anchors a ${anchor}-mode document exactly once after a SIGKILL and a restart`, async function () {
      const body = {
        subject: { kind: 'enterprise', uscc: testUscc(`K${runTag}`) },
        reportType: 'publicCreditReport',
        content: { mode: anchor },
        validUntil: inAYear(),
        anchor,
      };
      const key = `crash-${anchor}-${runTag}`;
      const res = await post(body, key);
      // Kill at once: no clean shutdown, in-flight anchoring is cut off.
      child?.kill('SIGKILL');
      assert.equal(res.status, 202);
      const issued = res.body;
      await exited(child as ChildProcess);

      child = spawnGateway('qingdao', PORT, STORE);
      await waitReady(url, 180_000);
      // The retry after the restart is answered with the same document.
      const retried = await post(body, key);
      assert.equal(retried.status, 202);
      assert.equal(retried.body.id, issued.id);

      const state = await until(
        async () => (await callAt(url, 'GET', `/api/v1/reports/${issued.id}`, { token: operator })).body,
        (s) => s.state === 'anchored',
        60_000,
        'anchored after restart',
      );
      assert.equal(state.contentHash, sha256Hex(issued.jws));

      // The ledger's events, as the Yantai gateway's index holds them: one anchor, no more.
      const regulator = await token('yantai', 'regulator');
      const name = anchor === 'single' ? 'DocumentAnchored' : 'BatchAnchored';
      const match = (e: { payload: Record<string, unknown> }) =>
        anchor === 'single' ? e.payload.id === issued.id : e.payload.root === state.proof.root;
      const events = await until(
        async () => {
          const found = [];
          let after = 0;
          for (;;) {
            const page = (
              await call('yantai', 'GET', `/api/v1/audit?event=${name}&city=qingdao&limit=1000&after=${after}`, { token: regulator })
            ).body;
            found.push(...page.events.filter(match));
            if (page.next === null) break;
            after = page.next;
          }
          return found;
        },
        (found) => found.length > 0,
        30_000,
        `${name} event at Yantai`,
      );
      assert.equal(events.length, 1, `exactly one ${name} for the document`);
      if (anchor === 'single') assert.equal(events[0].transactionId, state.anchor.txId);
      else {
        assert.equal(verifyInclusion(state.contentHash, state.proof), true);
        assert.equal(events[0].transactionId, state.proof.txId);
      }
    });
  }
});

describe('a gateway killed in the middle of a bulk issue', function () {
  const LINES = 3000;
  const KILL_AFTER = 700;
  let child: ChildProcess | undefined;
  let killed = false;
  let operator: string;

  before(async function () {
    await gateways();
    child = spawnGateway('qingdao', PORT, STORE);
    await waitReady(url, 180_000);
    operator = await spawnedOperatorToken('qingdao', STORE);
  });

  after(async function () {
    await stopChild(child);
  });

  const upload = Array.from(
    { length: LINES },
    (_, i) =>
      JSON.stringify({
        subject: { kind: 'enterprise', uscc: testUscc(`B${runTag}${i}`) },
        reportType: 'publicCreditReport',
        content: { bulk: i },
        validUntil: inAYear(),
        anchor: 'batch',
      }) + '\n',
  ).join('');

  /** Sends the upload; reads the answer lines as they stream; `onLine` may end the process. */
  async function send(key: string, onLine: (answer: any, count: number) => void): Promise<any[]> {
    const r = await streamNdjson(`${url}/api/v1/reports/bulk`, { token: operator, body: upload, idempotencyKey: key }, onLine);
    // The connection dies with the process.
    if (r.cutOff && !killed) throw new Error(`the bulk answer was cut off after ${r.answers.length} lines`);
    if (!r.cutOff) assert.equal(r.status, 200);
    return r.answers;
  }

  it('anchors every document it answered for exactly once, and answers the re-sent upload with the same documents', async function () {
    this.timeout(15 * 60_000);
    const key = `crash-bulk-${runTag}`;
    const before = await send(key, (_answer, count) => {
      if (count === KILL_AFTER) {
        killed = true;
        child?.kill('SIGKILL');
      }
    });
    await exited(child as ChildProcess);
    const answered = before.filter((a) => typeof a.id === 'string');
    assert.ok(answered.length >= KILL_AFTER, `${answered.length} lines answered before the kill`);
    assert.ok(answered.length < LINES, 'killed before the end of the upload');

    child = spawnGateway('qingdao', PORT, STORE);
    killed = false;
    await waitReady(url, 180_000);
    const again = await send(key, () => undefined);
    const summary = again.at(-1)?.summary;
    assert.equal(summary?.lines, LINES);
    assert.equal(summary?.refused, 0);
    const ids = again.filter((a) => typeof a.id === 'string');
    assert.equal(ids.length, LINES);
    // Every document answered before the kill is answered again, the same, as a replay.
    for (const a of answered) {
      const b = ids[a.line - 1];
      assert.equal(b.id, a.id, `line ${a.line}`);
      assert.equal(b.jws, a.jws);
      assert.equal(b.replayed, true);
    }
    assert.equal(new Set(ids.map((a) => a.id)).size, LINES);

    // Each is anchored in a batch whose proof holds its hash; no document is in two batches.
    const states = new Map<string, any>();
    await until(
      async () => {
        const waiting = ids.filter((a) => states.get(a.id)?.state !== 'anchored');
        for (let i = 0; i < waiting.length; i += 32) {
          await Promise.all(
            waiting.slice(i, i + 32).map(async (a) => {
              const res = await callAt(url, 'GET', `/api/v1/reports/${a.id}`, { token: operator });
              states.set(a.id, res.body);
            }),
          );
        }
        return [...states.values()].filter((s) => s.state === 'anchored').length;
      },
      (n) => n === LINES,
      600_000,
      'every bulk document anchored',
    );
    const perBatch = new Map<string, { root: string; treeSize: number; docs: number }>();
    for (const a of ids) {
      const s = states.get(a.id);
      assert.equal(s.contentHash, sha256Hex(a.jws));
      assert.equal(verifyInclusion(s.contentHash, s.proof), true);
      const b = perBatch.get(s.proof.batchId) ?? { root: s.proof.root, treeSize: s.proof.treeSize, docs: 0 };
      b.docs++;
      perBatch.set(s.proof.batchId, b);
    }
    // The batches hold these documents and nothing else: the leaves add up to the upload, each batch once on the ledger.
    assert.equal(
      [...perBatch.values()].reduce((n, b) => n + b.treeSize, 0),
      LINES,
    );
    const regulator = await token('yantai', 'regulator');
    const roots = new Set([...perBatch.values()].map((b) => b.root));
    const events = await until(
      async () => {
        const found: any[] = [];
        let after = 0;
        for (;;) {
          const page = (
            await call('yantai', 'GET', `/api/v1/audit?event=BatchAnchored&city=qingdao&limit=1000&after=${after}`, { token: regulator })
          ).body;
          found.push(...page.events.filter((e: any) => roots.has(e.payload.root as string)));
          if (page.next === null) break;
          after = page.next;
        }
        return found;
      },
      (found) => new Set(found.map((e) => e.payload.root)).size === roots.size,
      60_000,
      'BatchAnchored events at Yantai',
    );
    assert.equal(events.length, roots.size, 'exactly one BatchAnchored per batch');
  });
});
