import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { chunkIdOf, LEAF_SCHEME, LEDGER_EVENTS, WITHDRAWN, type EvaluationChunkRecord, type EvaluationRow } from '@jcc/domain';
import { filterFingerprint, readPage } from '../lists/page.js';
import { ScriptedLedger, silentLog, tempStore, everyEventSealed } from '../lib/testing.js';
import {
  chunkRowsOf,
  chunkedEvaluationsOf,
  evaluationsOfSubject,
  isChunkGroupKey,
  recordsOfChunks,
  subjectBucket,
} from './evaluation-chunks.js';
import { EventIndex } from './event-index.js';
import { LedgerRefusedError } from '../fabric/errors.js';

const hex = (s: string): string => createHash('sha256').update(s).digest('hex');
const pseudonym = (n: number): string => `ps1-${hex(`subject ${n}`)}`;
const common = { scheme: 'qd-2026', periodStart: '2026-01-01', periodEnd: '2026-12-31', validUntil: '2027-12-31T00:00:00.000Z' };

function chunkOf(rows: EvaluationRow[], tx: string): EvaluationChunkRecord {
  const input = { ...common, rows };
  const chunk: EvaluationChunkRecord = {
    ...input,
    city: 'qingdao',
    chunkId: chunkIdOf('qingdao', input),
    leafScheme: LEAF_SCHEME,
    count: rows.length,
    recordedAt: '2026-12-01T00:00:00.000Z',
    txId: tx,
  };
  return chunk;
}

const chunkEvent = (chunk: EvaluationChunkRecord, block: number): ChaincodeEvent => ({
  eventName: LEDGER_EVENTS.evaluationChunkRecorded,
  blockNumber: BigInt(block),
  transactionId: chunk.txId,
  chaincodeName: 'creditchain',
  payload: new TextEncoder().encode(JSON.stringify({ city: 'qingdao', chunkId: chunk.chunkId, count: chunk.count, txId: chunk.txId })),
});

describe('the index of evaluation chunks', () => {
  const rows = (from: number, to: number): EvaluationRow[] =>
    Array.from({ length: to - from }, (_, i) => [`qd-${from + i}`, pseudonym(from + i), 'B', hex(`e${from + i}`)] as EvaluationRow);

  async function indexed(chunks: EvaluationChunkRecord[]) {
    const env = await tempStore();
    const ledger = new ScriptedLedger().script('evaluations:GetEvaluationChunk', (input) =>
      chunks.find((c) => c.chunkId === input.chunkId),
    );
    const index = await EventIndex.open(env.store, ledger, silentLog, {}, everyEventSealed);
    for (const [i, chunk] of chunks.entries()) await index.apply(chunkEvent(chunk, 10 + i));
    return { env, index };
  }

  it('answers a subject look-up, one record by id, and keeps the first record of an id', async () => {
    const first = chunkOf(rows(0, 1200), 'tx1');
    // A second chunk repeats one id (another cut of the same upload), corrects record 5 and withdraws record 7.
    const corrected = chunkOf(
      [
        ...rows(1199, 1201),
        ['qd-5-fix', pseudonym(5), 'A', hex('fix'), 'qd-5'],
        ['qd-7-off', pseudonym(7), 'C', hex('off'), 'qd-7', WITHDRAWN],
      ],
      'tx2',
    );
    const { env, index } = await indexed([first, corrected]);
    try {
      const t = index.tables;
      const one = await evaluationsOfSubject(t, pseudonym(42), 10);
      assert.deepEqual(
        one.records.map((r) => [r.id, r.grade, r.state, r.leafIndex, r.chunkId, r.blockNumber, r.scheme]),
        [['qd-42', 'B', 'current', 42, first.chunkId, 10, 'qd-2026']],
      );
      const repeated = await evaluationsOfSubject(t, pseudonym(1199), 10);
      assert.deepEqual(
        repeated.records.map((r) => [r.id, r.chunkId]),
        [['qd-1199', first.chunkId]],
        'a repeated id adds nothing',
      );
      const fixed = await evaluationsOfSubject(t, pseudonym(5), 10);
      assert.deepEqual(
        fixed.records.map((r) => [r.id, r.state, r.supersededBy ?? null]),
        [
          ['qd-5', 'superseded', 'qd-5-fix'],
          ['qd-5-fix', 'current', null],
        ],
      );
      const withdrawn = await evaluationsOfSubject(t, pseudonym(7), 10);
      assert.deepEqual(
        withdrawn.records.map((r) => [r.id, r.state]),
        [
          ['qd-7', 'superseded'],
          ['qd-7-off', 'withdrawal'],
        ],
      );
      assert.deepEqual((await evaluationsOfSubject(t, pseudonym(99_999), 10)).records, []);
      const [byId, missing] = await chunkedEvaluationsOf(t, ['qingdao|qd-1200', 'qingdao|qd-none']);
      assert.equal(byId?.chunkId, corrected.chunkId);
      assert.equal(byId?.leafIndex, 1);
      assert.equal(missing, undefined);
      const [groups] = await recordsOfChunks(t, [`qingdao|#${corrected.chunkId}`]);
      assert.deepEqual(
        groups?.map((r) => r.id),
        ['qd-1200', 'qd-5-fix', 'qd-7-off'],
      );
    } finally {
      await index.stop();
      await env.cleanup();
    }
  });

  it('writes per chunk: a bucket value per subject bucket the chunk touches, not keys per record', async () => {
    const chunk = chunkOf(rows(0, 4000), 'tx1');
    const { env, index } = await indexed([chunk]);
    try {
      const t = index.tables;
      const buckets = await t.chunkedEvaluationsBySubject.count();
      assert.equal(buckets, new Set(chunk.rows.map((r) => subjectBucket(r[1]))).size);
      assert.ok(buckets < 1100);
      assert.equal(await t.evaluationOrder.count(), 2, 'the list order names the chunk once per scope');
      assert.equal(await t.chunkedEvaluations.count(), 4000, 'one small key per record, for reading it by id');
    } finally {
      await index.stop();
      await env.cleanup();
    }
  });

  it('pages a list through a chunk entry and the entries around it, without gaps or repeats', async () => {
    const first = chunkOf(rows(0, 7), 'tx1');
    const second = chunkOf(rows(7, 30), 'tx2');
    const third = chunkOf(rows(30, 33), 'tx3');
    const { env, index } = await indexed([first, second, third]);
    try {
      for (const descending of [true, false]) {
        const read = (bookmark?: string) =>
          readPage({
            order: index.tables.evaluationOrder,
            prefix: 'c:qingdao|',
            descending,
            fingerprint: filterFingerprint('evaluations', {}),
            bookmark,
            pageSize: 4,
            load: async (keys) => recordsOfChunks(index.tables, keys),
            isGroup: isChunkGroupKey,
            accept: (r) => r.id !== 'qd-12',
          });
        const seen: string[] = [];
        let page = await read();
        seen.push(...page.records.map((r) => r.id));
        while (page.bookmark) {
          page = await read(page.bookmark);
          seen.push(...page.records.map((r) => r.id));
        }
        const ids = Array.from({ length: 33 }, (_, i) => `qd-${i}`).filter((id) => id !== 'qd-12');
        assert.deepEqual(seen, descending ? ids.reverse() : ids, descending ? 'newest first' : 'oldest first');
      }
    } finally {
      await index.stop();
      await env.cleanup();
    }
  });

  it('ignores a chunk event whose chunk the peer does not return (other cities created it: no seal), so it pre-empts no id', async () => {
    const forged = chunkOf([['qd-1', pseudonym(1), 'D', hex('forged')]], 'tx-forged');
    const genuine = chunkOf(rows(0, 3), 'tx-genuine');
    const env = await tempStore();
    const ledger = new ScriptedLedger().script('evaluations:GetEvaluationChunk', (input) =>
      input.chunkId === genuine.chunkId ? genuine : new LedgerRefusedError('evaluations:GetEvaluationChunk', 'NOT_FOUND', 'no such chunk'),
    );
    const index = await EventIndex.open(env.store, ledger, silentLog, {}, everyEventSealed);
    try {
      await index.apply(chunkEvent(forged, 10));
      await index.apply(chunkEvent(genuine, 11));
      const one = await evaluationsOfSubject(index.tables, pseudonym(1), 10);
      assert.deepEqual(
        one.records.map((r) => [r.id, r.grade, r.chunkId]),
        [['qd-1', 'B', genuine.chunkId]],
      );
      assert.equal((await chunkedEvaluationsOf(index.tables, [`qingdao|qd-1`]))[0]?.chunkId, genuine.chunkId);
    } finally {
      await index.stop();
      await env.cleanup();
    }
  });

  it('indexes a chunk from its event, which carries the rows, without reading the peer; the audit trail keeps the event without them', async () => {
    const chunk = chunkOf(rows(0, 600), 'tx-rows');
    const env = await tempStore();
    const ledger = new ScriptedLedger(); // no GetEvaluationChunk scripted: a read would fail the test
    const index = await EventIndex.open(env.store, ledger, silentLog, {}, everyEventSealed);
    try {
      const { rows: chunkRows, ...header } = chunk;
      await index.apply({
        ...chunkEvent(chunk, 12),
        payload: new TextEncoder().encode(JSON.stringify({ ...header, rows: chunkRows })),
      });
      const one = await evaluationsOfSubject(index.tables, pseudonym(599), 10);
      assert.deepEqual(
        one.records.map((r) => [r.id, r.leafIndex, r.chunkId, r.blockNumber]),
        [['qd-599', 599, chunk.chunkId, 12]],
      );
      assert.deepEqual(await chunkRowsOf(index.tables, 'qingdao', chunk.chunkId), chunkRows);
      const audit = await index.tables.events.list();
      assert.equal(audit.length, 1);
      assert.deepEqual(audit[0]?.[1].payload, header, 'the audit entry is the chunk without its rows');
    } finally {
      await index.stop();
      await env.cleanup();
    }
  });
});
