import assert from 'node:assert/strict';
import { eventSealHash, LEDGER_EVENTS, sha256Hex } from '@jcc/domain';
import type { ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { LedgerRefusedError } from '../fabric/errors.js';
import { ScriptedLedger, silentLog, tempStore, everyEventSealed } from '../lib/testing.js';
import { Store } from '../store/store.js';
import { IndexView, indexState } from '../verify/index-view.js';
import { MemoryTables } from '../verify/memory-tables.js';
import { PeerView } from '../verify/peer-view.js';
import { EventIndex, ledgerEventSeals } from './event-index.js';
import { Progress } from './progress.js';
import { indexTables } from './tables.js';

const event = (name: string, block: number, tx: string, payload: Record<string, unknown>): ChaincodeEvent => ({
  eventName: name,
  blockNumber: BigInt(block),
  transactionId: tx,
  chaincodeName: 'creditchain',
  payload: new TextEncoder().encode(JSON.stringify({ ...payload, txId: tx })),
});

describe('Progress', () => {
  it('is caught up once the newest event transaction on the ledger has been applied', () => {
    const p = new Progress();
    assert.equal(p.caughtUp, false, 'nothing known before the height');
    p.setTargetHeight(5n);
    p.observeBlock({ blockNumber: 3n, eventTransactions: ['a', 'b'] });
    assert.equal(p.synced, false);
    p.observeBlock({ blockNumber: 4n, eventTransactions: [] });
    assert.equal(p.synced, true);
    assert.equal(p.caughtUp, false);
    p.observeApplied({ blockNumber: 3n, transactionId: 'a' });
    assert.equal(p.caughtUp, false);
    p.observeApplied({ blockNumber: 3n, transactionId: 'b' });
    assert.equal(p.caughtUp, true);
    p.observeBlock({ blockNumber: 5n, eventTransactions: ['c'] });
    assert.equal(p.caughtUp, false);
    assert.equal(p.lagBlocks, 2);
    p.observeApplied({ blockNumber: 5n, transactionId: 'c' });
    assert.equal(p.caughtUp, true);
  });

  it('is caught up on an empty ledger and when blocks without our events follow', () => {
    const p = new Progress({ blockNumber: 2n, transactionId: 'x' });
    p.setTargetHeight(10n);
    p.observeBlock({ blockNumber: 2n, eventTransactions: ['x'] });
    for (let b = 3n; b < 10n; b++) p.observeBlock({ blockNumber: b, eventTransactions: [] });
    assert.equal(p.caughtUp, true);
    const empty = new Progress();
    empty.setTargetHeight(0n);
    assert.equal(empty.caughtUp, true);
  });
});

describe('EventIndex', () => {
  it('applies events into its tables with the checkpoint, and resumes from it after reopening', async () => {
    const env = await tempStore();
    try {
      const key = { city: 'qingdao', kid: 'k1', use: 'document', jwk: { kty: 'OKP' }, validFrom: '2026-01-01T00:00:00.000Z', txId: 't1' };
      const ledger = new ScriptedLedger()
        .script('cities:GetKey', (_input, n) => (n === 1 ? key : { ...key, revokedAt: '2026-06-01T00:00:00.000Z', revokedTxId: 't5' }))
        .script('reports:GetDocument', () => ({ effectiveStatus: 'revoked', status: { txId: 't4' } }));
      const index = await EventIndex.open(env.store, ledger, silentLog, {}, everyEventSealed);
      await index.apply(
        event(LEDGER_EVENTS.cityKeyRegistered, 5, 't1', {
          city: 'qingdao',
          kid: 'k1',
          use: 'document',
          jwk: { kty: 'OKP' },
          validFrom: '2026-01-01T00:00:00.000Z',
        }),
      );
      await index.apply(event(LEDGER_EVENTS.documentAnchored, 6, 't2', { city: 'qingdao', id: 'd1', contentHash: 'aa' }));
      await index.apply(event(LEDGER_EVENTS.batchAnchored, 6, 't3', { city: 'qingdao', batchId: 'b1', root: 'ff', leafCount: 2 }));
      await index.apply(
        event(LEDGER_EVENTS.documentRevoked, 7, 't4', { city: 'qingdao', id: 'd1', status: 'revoked', reason: 'r', at: 'x' }),
      );
      await index.apply(
        event(LEDGER_EVENTS.cityKeyRevoked, 8, 't5', { city: 'qingdao', kid: 'k1', revokedAt: '2026-06-01T00:00:00.000Z' }),
      );
      await index.apply(
        event(LEDGER_EVENTS.agreementProposed, 9, 't6', {
          city: 'qingdao',
          agreementId: 'a1',
          proposer: 'qingdao',
          counterparty: 'yantai',
          docTypes: ['creditReport'],
          validFrom: '2026-01-01T00:00:00.000Z',
          validTo: '2099-01-01T00:00:00.000Z',
          state: 'proposed',
        }),
      );
      await index.apply(
        event(LEDGER_EVENTS.agreementAccepted, 10, 't7', {
          city: 'yantai',
          agreementId: 'a1',
          state: 'active',
          acceptedAt: '2026-02-01T00:00:00.000Z',
        }),
      );
      await index.apply(event(LEDGER_EVENTS.evaluationsRecorded, 11, 't8', { city: 'qingdao', count: 2, ids: ['e1', 'e2'] }));

      assert.equal((await index.tables.anchors.get('qingdao|d1'))?.blockNumber, 6);
      assert.equal((await index.tables.statuses.get('qingdao|d1'))?.status, 'revoked');
      assert.equal(await index.tables.batchRoots.get('qingdao|ff'), 'b1');
      const indexed = await index.tables.keys.get('qingdao|k1');
      assert.equal(indexed?.revokedAt, '2026-06-01T00:00:00.000Z');
      assert.equal(indexed?.txId, 't1', 'the registration transaction is kept');
      const agreement = await index.tables.agreements.get('a1');
      assert.equal(agreement?.state, 'active');
      assert.equal(agreement?.proposer, 'qingdao');
      const events = await index.tables.events.list();
      assert.deepEqual(
        events.map(([, e]) => e.seq),
        [1, 2, 3, 4, 5, 6, 7, 8],
      );
      assert.deepEqual(index.checkpoint, { blockNumber: '11', transactionId: 't8', seq: 8 });
      assert.equal(await index.waitForTransaction('t8', 10), true);
      const waiting = index.waitForTransaction('t9', 2000);
      await index.apply(event(LEDGER_EVENTS.evaluationRecorded, 12, 't9', { city: 'qingdao', id: 'e3' }));
      assert.equal(await waiting, true);
      assert.equal(await index.waitForTransaction('never', 20), false);
      await env.store.close();

      const reopened = await Store.open(env.dir);
      const again = await EventIndex.open(reopened, ledger, silentLog, {}, everyEventSealed);
      assert.deepEqual(again.checkpoint, { blockNumber: '12', transactionId: 't9', seq: 9 });
      await reopened.close();
    } finally {
      await env.cleanup();
    }
  });

  it('applies only events sealed by the city they name (cities:GetEventSeals at its own peer): a forged revocation revokes nothing', async () => {
    const env = await tempStore();
    try {
      // Two other cities commit DocumentRevoked events in Qingdao's name (no seal of Qingdao's, or the seal of
      // another payload); Qingdao's own revocation of d2 is sealed.
      const revoked = (id: string, tx: string, reasonHash = 'e'.repeat(64)) =>
        event(LEDGER_EVENTS.documentRevoked, 7, sha256Hex(tx), { city: 'qingdao', id, status: 'revoked', reasonHash });
      const forged = [revoked('d1', 't-forged-1'), revoked('d2', 't-forged-2'), revoked('d3', 't-forged-3', 'f'.repeat(64))];
      const own = revoked('d2', 't-own');
      const seals: Record<string, string> = {
        [own.transactionId]: eventSealHash(own.payload),
        [sha256Hex('t-forged-3')]: eventSealHash(revoked('d3', 't-forged-3').payload),
      };
      const ledger = new ScriptedLedger().script('cities:GetEventSeals', (input) => ({
        seals: (input.events as { city: string; txId: string }[]).map((e) => ({ ...e, sealHash: seals[e.txId] })),
      }));
      const index = await EventIndex.open(env.store, ledger, silentLog);
      for (const e of [...forged, own]) await index.apply(e);
      assert.equal(await index.tables.statuses.get('qingdao|d1'), undefined, 'the forged revocation is not indexed');
      assert.equal(await index.tables.statuses.get('qingdao|d3'), undefined, 'nor one whose payload differs from the sealed one');
      assert.equal((await index.tables.statuses.get('qingdao|d2'))?.txId, own.transactionId, "only Qingdao's own revocation is");
      assert.deepEqual(
        (await index.tables.events.list()).map(([, e]) => e.transactionId),
        [own.transactionId],
        'the audit log holds the sealed event only',
      );
      assert.equal(index.checkpoint?.transactionId, own.transactionId, 'the checkpoint moved past every event');
      assert.deepEqual(
        ledger.calls.flatMap((c) => (c.input.events as { city: string; txId: string }[]).map((e) => [e.city, e.txId])),
        [...forged, own].map((e) => ['qingdao', e.transactionId]),
      );
      // Checks asked together go in one query.
      const check = ledgerEventSeals(ledger);
      const before = ledger.calls.length;
      const answers = await Promise.all([...forged, own].map((e) => check('qingdao', e.transactionId, e.payload)));
      assert.deepEqual(answers, [false, false, false, true]);
      assert.equal(ledger.calls.length - before, 1, 'one query for four events');
      await index.stop();
    } finally {
      await env.cleanup();
    }
  });

  it('projects an agreement event only from one of its parties, each in its role', async () => {
    const env = await tempStore();
    try {
      const index = await EventIndex.open(env.store, new ScriptedLedger(), silentLog, {}, everyEventSealed);
      const agreement = { agreementId: 'QY-1', proposer: 'qingdao', counterparty: 'yantai', docTypes: ['creditReport'] };
      await index.apply(event(LEDGER_EVENTS.agreementProposed, 3, 'p-weifang', { ...agreement, city: 'weifang', state: 'proposed' }));
      assert.equal(await index.tables.agreements.get('QY-1'), undefined, 'proposed by a city that is not its proposer');
      await index.apply(event(LEDGER_EVENTS.agreementProposed, 4, 'p-own', { ...agreement, city: 'qingdao', state: 'proposed' }));
      await index.apply(event(LEDGER_EVENTS.agreementAccepted, 5, 'a-qingdao', { ...agreement, city: 'qingdao', state: 'active' }));
      assert.equal((await index.tables.agreements.get('QY-1'))?.state, 'proposed', 'the proposer cannot accept');
      await index.apply(event(LEDGER_EVENTS.agreementEnded, 6, 'e-weifang', { ...agreement, city: 'weifang', state: 'ended' }));
      assert.equal((await index.tables.agreements.get('QY-1'))?.state, 'proposed', 'a third city cannot end it');
      await index.apply(event(LEDGER_EVENTS.agreementAccepted, 7, 'a-own', { ...agreement, city: 'yantai', state: 'active' }));
      assert.equal((await index.tables.agreements.get('QY-1'))?.state, 'active');
      await index.stop();
    } finally {
      await env.cleanup();
    }
  });

  it('projects a key event only as the own peer’s chaincode returns the key: a forged registration is not indexed', async () => {
    const env = await tempStore();
    try {
      const ledger = new ScriptedLedger().script(
        'cities:GetKey',
        () => new LedgerRefusedError('cities:GetKey', 'NOT_FOUND', 'no provenance'),
      );
      const index = await EventIndex.open(env.store, ledger, silentLog, {}, everyEventSealed);
      await index.apply(
        event(LEDGER_EVENTS.cityKeyRegistered, 5, 't1', {
          city: 'qingdao',
          kid: 'forged',
          use: 'document',
          jwk: { kty: 'OKP' },
          validFrom: '2026-01-01T00:00:00.000Z',
        }),
      );
      assert.equal(await index.tables.keys.get('qingdao|forged'), undefined);
      assert.equal((await index.tables.events.list()).length, 1, 'the (sealed) event stays in the audit log');
    } finally {
      await env.cleanup();
    }
  });

  it('empties itself when the ledger was re-created (another genesis block)', async () => {
    const env = await tempStore();
    try {
      const ledger = new ScriptedLedger();
      let resets = 0;
      const index = await EventIndex.open(env.store, ledger, silentLog, { onLedgerReset: () => resets++ }, everyEventSealed);
      assert.equal(await index.checkLedger(), false);
      await index.apply(event(LEDGER_EVENTS.documentAnchored, 3, 'ta', { city: 'qingdao', id: 'old', contentHash: 'aa' }));
      assert.equal(await index.checkLedger(), false, 'same ledger');
      ledger.identity = 'ledger-2';
      assert.equal(await index.checkLedger(), true);
      assert.equal(resets, 1);
      assert.equal(index.checkpoint, undefined);
      assert.equal(await index.tables.anchors.get('qingdao|old'), undefined);
      assert.equal((await index.tables.events.list()).length, 0);
      assert.equal(await index.tables.ledger.get('ledger'), 'ledger-2');
    } finally {
      await env.cleanup();
    }
  });

  it('serves verification from the index when caught up, and asks the peer when it lacks a record or is behind', async () => {
    const env = await tempStore();
    try {
      const ledger = new ScriptedLedger().script('reports:GetDocument', () => ({ effectiveStatus: 'active', anchor: { txId: 'peer-tx' } }));
      const tables = indexTables(env.store);
      const memory = await MemoryTables.load(tables);
      const index = await EventIndex.open(
        env.store,
        ledger,
        silentLog,
        {
          onApplied: (ops) => memory.apply(MemoryTables.changesOf(tables, ops)),
        },
        everyEventSealed,
      );
      await index.apply(event(LEDGER_EVENTS.documentAnchored, 3, 'ta', { city: 'qingdao', id: 'known', contentHash: 'aa' }));
      await index.apply(
        event(LEDGER_EVENTS.recognitionRecorded, 4, 'tb', {
          city: 'yantai',
          issuerCity: 'qingdao',
          documentId: 'known',
          decision: 'rejected',
        }),
      );
      const lookups: string[] = [];
      const view = new IndexView(memory, indexState(index), new PeerView(ledger), {
        onLookup: (source, kind) => lookups.push(`${source}:${kind}`),
      });
      // Behind: the block stream has not reported anything yet.
      assert.equal((await view.document('qingdao', 'known'))?.anchor?.txId, 'peer-tx');
      index.progress.setTargetHeight(5n);
      index.progress.observeBlock({ blockNumber: 4n, eventTransactions: ['tb'] });
      assert.equal(index.caughtUp, true);
      assert.equal((await view.document('qingdao', 'known'))?.anchor?.txId, 'ta');
      assert.equal((await view.document('qingdao', 'known'))?.anchor?.blockNumber, 3);
      assert.equal((await view.document('qingdao', 'missing'))?.anchor?.txId, 'peer-tx');
      assert.equal(await view.document('qingdao', 'batched', { expectAnchor: false }), undefined);
      const verdict = await view.recognition({
        issuerCity: 'qingdao',
        documentId: 'known',
        docType: 'creditReport',
        recognisingCity: 'yantai',
        at: '2026-11-26T00:00:00.000Z',
      });
      assert.deepEqual(verdict, { recognised: false, basis: 'record', decision: 'rejected' });
      assert.equal(await view.height(), 5, 'the height the index reflects: blocks 0-4');
      // What the index committed is what a fresh load from the store reads.
      assert.deepEqual((await MemoryTables.load(tables)).maps, memory.maps);
      assert.deepEqual(lookups, [
        'peer:document',
        'index:document',
        'index:document',
        'peer:document',
        'index:document',
        'index:recognition',
      ]);
    } finally {
      await env.cleanup();
    }
  });
});
