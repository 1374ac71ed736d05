import assert from 'node:assert/strict';
import type { ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { Registry } from 'prom-client';
import { Webhook } from 'standardwebhooks';
import { LEDGER_EVENTS } from '@jcc/domain';
import { defaultConfig } from '../config/config.js';
import { EventIndex } from '../index/event-index.js';
import { ScriptedLedger, silentLog, tempStore, everyEventSealed } from '../lib/testing.js';
import { Store } from '../store/store.js';
import { Notifications } from './notifications.js';
import type { AttemptOutcome, WebhookTransport } from './transport.js';

let tx = 0;
/** The transaction that revoked each document (what the peer's `reports:GetDocument` answers as its sealed status). */
const revokedIn = new Map<string, string>();

const event = (name: string, block: number, payload: Record<string, unknown>): ChaincodeEvent => {
  const id = `tx${++tx}`;
  if (name === LEDGER_EVENTS.documentRevoked) revokedIn.set(String(payload.id), id);
  return {
    eventName: name,
    blockNumber: BigInt(block),
    transactionId: id,
    chaincodeName: 'creditchain',
    payload: new TextEncoder().encode(JSON.stringify({ ...payload, txId: id })),
  };
};

/** A receiver stand-in: records each attempt and answers from a script (unit tests only). */
class FakeReceiver {
  readonly received: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  answer: (n: number) => AttemptOutcome = () => ({ ok: true, status: 204 });
  readonly transport: WebhookTransport = async (url, headers, body) => {
    this.received.push({ url, headers, body });
    return this.answer(this.received.length);
  };
}

const until = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const config = (attempts: number) => {
  const base = defaultConfig('yantai');
  return {
    lists: base.lists,
    notifications: { ...base.notifications, allowLoopback: true, retry: { initialMs: 10, maxMs: 20, attempts } },
  };
};

/** Qingdao anchors a document, Yantai recognises it, Qingdao revokes it. */
async function recogniseAndRevoke(index: EventIndex, id: string, block: number): Promise<void> {
  await index.apply(
    event(LEDGER_EVENTS.recognitionRecorded, block, {
      city: 'yantai',
      issuerCity: 'qingdao',
      documentId: id,
      decision: 'accepted',
      reasonHash: 'a'.repeat(64),
      recordedAt: '2026-12-01T01:00:00.000Z',
      history: [],
    }),
  );
  await index.apply(
    event(LEDGER_EVENTS.documentRevoked, block + 1, {
      city: 'qingdao',
      id,
      status: 'revoked',
      reasonHash: 'e'.repeat(64),
      at: '2026-12-01T02:00:00.000Z',
    }),
  );
}

/** A peer that returns each revocation the events announce (the index projects a status only as the peer returns it). */
const peerLedger = (): ScriptedLedger =>
  new ScriptedLedger().script('reports:GetDocument', (input) => {
    const txId = revokedIn.get(String(input.id));
    return { effectiveStatus: txId ? 'revoked' : 'active', ...(txId ? { status: { txId } } : {}) };
  });

describe('Notifications (feed, outbox, deliveries)', () => {
  it('delivers a signed notification when a recognised document is revoked, retrying with back-off until the receiver answers 2xx', async () => {
    const { store, cleanup } = await tempStore();
    const receiver = new FakeReceiver();
    receiver.answer = (n) => (n < 3 ? { ok: false, status: 503, error: 'the receiver answered 503' } : { ok: true, status: 200 });
    const index = await EventIndex.open(store, peerLedger(), silentLog, {}, everyEventSealed);
    const n = await Notifications.open({
      city: 'yantai',
      config: config(5),
      store,
      index: index.tables,
      log: silentLog,
      clock: Date.now,
      registry: new Registry(),
      transport: receiver.transport,
      pollMs: 20,
    });
    try {
      n.start();
      const sub = await n.subscribe({ url: 'http://127.0.0.1:9/hook', events: ['document.revoked'] }, 'tester');
      await recogniseAndRevoke(index, 'qingdao-cr-20261201-aaaaaaaaaaaaaa', 10);
      n.wake();
      await until(() => receiver.received.length === 3, 'three attempts');
      await until(async () => (await n.deliveries({ limit: 10 })).length === 0, 'the delivery to leave the outbox');
      const last = receiver.received[2]!;
      const verified = new Webhook(sub.secret).verify(last.body, last.headers) as { type: string; data: { documentId: string } };
      assert.equal(verified.type, 'document.revoked');
      assert.equal(verified.data.documentId, 'qingdao-cr-20261201-aaaaaaaaaaaaaa');
      assert.equal(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size, 1, 'the same webhook-id on every retry');
      assert.equal((await n.after(0, 10)).length, 1, 'logged once for the event stream');
    } finally {
      await n.stop();
      await index.stop();
      await cleanup();
    }
  });

  it('turns a delivery into a dead letter after the retry budget, and redelivers it on request', async () => {
    const { store, cleanup } = await tempStore();
    const receiver = new FakeReceiver();
    receiver.answer = () => ({ ok: false, error: 'connect ECONNREFUSED' });
    const index = await EventIndex.open(store, peerLedger(), silentLog, {}, everyEventSealed);
    const n = await Notifications.open({
      city: 'yantai',
      config: config(3),
      store,
      index: index.tables,
      log: silentLog,
      clock: Date.now,
      registry: new Registry(),
      transport: receiver.transport,
      pollMs: 20,
    });
    try {
      n.start();
      await n.subscribe({ url: 'http://127.0.0.1:9/hook', events: ['document.revoked'] }, 'tester');
      await recogniseAndRevoke(index, 'qingdao-cr-20261201-bbbbbbbbbbbbbb', 10);
      n.wake();
      await until(async () => (await n.deliveries({ state: 'dead', limit: 10 })).length === 1, 'a dead letter');
      assert.equal(receiver.received.length, 3);
      const [dead] = await n.deliveries({ state: 'dead', limit: 10 });
      assert.equal(dead?.attempts, 3);
      assert.match(dead?.lastError ?? '', /ECONNREFUSED/);
      receiver.answer = () => ({ ok: true, status: 200 });
      await n.redeliver(dead!.id);
      await until(async () => (await n.deliveries({ limit: 10 })).length === 0, 'the redelivery');
      assert.equal(receiver.received.length, 4);
      await assert.rejects(n.redeliver(dead!.id), /no delivery/);
    } finally {
      await n.stop();
      await index.stop();
      await cleanup();
    }
  });

  it('keeps a pending delivery across a restart, and logs nothing twice when the index is rebuilt', async () => {
    const { store, dir, cleanup } = await tempStore();
    const receiver = new FakeReceiver();
    receiver.answer = () => ({ ok: false, status: 500, error: 'the receiver answered 500' });
    let index = await EventIndex.open(store, peerLedger(), silentLog, {}, everyEventSealed);
    const open = (s: Store, attempts: number) =>
      Notifications.open({
        city: 'yantai',
        config: config(attempts),
        store: s,
        index: index.tables,
        log: silentLog,
        clock: Date.now,
        registry: new Registry(),
        transport: receiver.transport,
        pollMs: 20,
      });
    let n = await open(store, 100);
    n.start();
    await n.subscribe({ url: 'http://127.0.0.1:9/hook', events: ['document.revoked', 'objection.raised'] }, 'tester');
    await recogniseAndRevoke(index, 'qingdao-cr-20261201-cccccccccccccc', 10);
    n.wake();
    await until(() => receiver.received.length >= 1, 'a first attempt');
    await n.stop();
    await index.stop();
    await store.close();

    const reopened = await Store.open(dir);
    try {
      index = await EventIndex.open(reopened, peerLedger(), silentLog, {}, everyEventSealed);
      n = await open(reopened, 100);
      const pending = await n.deliveries({ state: 'pending', limit: 10 });
      assert.equal(pending.length, 1, 'the pending delivery survived the restart');
      assert.equal(n.list().length, 1, 'the subscription survived the restart');
      receiver.answer = () => ({ ok: true, status: 200 });
      n.start();
      await until(async () => (await n.deliveries({ limit: 10 })).length === 0, 'delivery after the restart');
      const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
      assert.equal(ids.size, 1);

      // The index is emptied and rebuilt from the same ledger: the feed reads it again but logs nothing new.
      const { clearIndex } = await import('../index/tables.js');
      await clearIndex(reopened, index.tables);
      tx -= 2;
      await recogniseAndRevoke(index, 'qingdao-cr-20261201-cccccccccccccc', 10);
      const before = receiver.received.length;
      await n.feed.readIndex();
      assert.equal((await n.after(0, 10)).length, 1, 'nothing logged twice');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(receiver.received.length, before, 'nothing delivered twice');
    } finally {
      await n.stop();
      await index.stop();
      await reopened.close();
      await cleanup();
    }
  });
});
