/**
 * Nothing lost: a gateway process killed with SIGKILL right after answering
 * 202 anchors the document after a restart, exactly once, in both modes.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sha256Hex, verifyInclusion } from '@jcc/domain';
import { mintToken } from '../../gateway/src/auth/tokens.js';
import { KeyStore } from '../../gateway/src/keys/keystore.js';
import { dataDir, gateways, runTag, spawnGateway, testUscc, token, until, waitReady } from './harness.js';

const PORT = Number(process.env.JCC_TEST_CRASH_PORT ?? 18111);
const STORE = join(dataDir, 'qingdao-crash');
const url = `http://127.0.0.1:${PORT}`;
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

describe('a gateway killed right after answering 202', function () {
  let child: ChildProcess | undefined;
  let operator: string;

  before(async function () {
    await gateways(); // the other cities' gateways, for auditing and verifying
    child = spawnGateway('qingdao', PORT, STORE);
    await waitReady(url, 180_000);
    const keys = await KeyStore.open(STORE, 'qingdao');
    operator = await mintToken({ key: keys.current('gateway'), city: 'qingdao', role: 'operator', ttlSeconds: 3600 });
  });

  after(async function () {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited(child);
    }
  });

  const post = (body: unknown, key: string) =>
    fetch(`${url}/api/v1/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });

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
      const issued = (await res.json()) as { id: string; jws: string };
      await exited(child as ChildProcess);

      child = spawnGateway('qingdao', PORT, STORE);
      await waitReady(url, 180_000);
      // The retry after the restart is answered with the same document.
      const retried = await post(body, key);
      assert.equal(retried.status, 202);
      assert.equal(((await retried.json()) as { id: string }).id, issued.id);

      const state = await until(
        async () =>
          (await (await fetch(`${url}/api/v1/reports/${issued.id}`, { headers: { authorization: `Bearer ${operator}` } })).json()) as any,
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
            const page = (await (
              await fetch(`http://127.0.0.1:18102/api/v1/audit?event=${name}&city=qingdao&limit=1000&after=${after}`, {
                headers: { authorization: `Bearer ${regulator}` },
              })
            ).json()) as any;
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
