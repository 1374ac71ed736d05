import assert from 'node:assert/strict';
import {
  canonicalJsonBytes,
  chunkIdOf,
  chunkProof,
  LEAF_SCHEME,
  evaluationRecordHash,
  expandChunk,
  MAX_CHUNK_EVALUATIONS,
  verifyInclusion,
  type EvaluationChunkRecord,
  type EvaluationRow,
  type StoredEvaluationChunk,
} from '@jcc/domain';
import { cityById } from '@jcc/domain';
import { cityEndorsementPolicy } from '../lib/endorsementPolicy.js';
import { noOp, refused, singleEvent, succeeded } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import { contracts, hashOf, pseudonymOf, type Contracts } from '../lib/testing/fixtures.js';

const row = (i: number, grade = 'A', supersedes?: string): EvaluationRow =>
  supersedes
    ? [`E-${i}`, pseudonymOf(`s${i}`), grade, hashOf(`ev ${i}`), supersedes]
    : [`E-${i}`, pseudonymOf(`s${i}`), grade, hashOf(`ev ${i}`)];
const chunk = (rows: EvaluationRow[]) => ({
  scheme: 'qingdao-enterprise-2026',
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  validUntil: '2027-12-31T00:00:00Z',
  rows,
});

describe('evaluations contract: chunks', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(() => {
    ledger = new FakeLedger();
    c = contracts();
  });

  it('stores a chunk under one key protected by the owner city, named by its Merkle root, its rows once, in its event', async () => {
    const input = chunk([row(1), row(2), row(3)]);
    const inv = await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', input);
    const summary = succeeded<{ chunkId: string; count: number; unchanged: boolean }>(inv);
    assert.equal(summary.count, 3);
    assert.equal(summary.unchanged, false);
    assert.equal(inv.writes.size, 1, 'one state key for the whole chunk');
    const [key] = [...inv.writes.keys()];
    assert.deepEqual(inv.validationParameters.get(key!), cityEndorsementPolicy(cityById('qingdao')));
    const event = singleEvent(inv);
    assert.equal(event.name, 'EvaluationChunkRecorded');
    const announced = event.payload as unknown as EvaluationChunkRecord;
    assert.deepEqual(announced.rows, input.rows, 'the event carries the rows');
    assert.equal(announced.chunkId, summary.chunkId);
    const stored = await ledger.ok<StoredEvaluationChunk>('yantai', c.evaluations, 'GetEvaluationChunk', {
      city: 'qingdao',
      chunkId: summary.chunkId,
    });
    assert.equal(stored.rows, undefined, 'the state key holds the chunk without its rows');
    const { rows: _rows, ...header } = announced;
    assert.deepEqual(stored, { ...header, txId: inv.txId, city: 'qingdao' }, 'the event is the stored chunk and its rows');
    assert.equal(stored.count, 3);
    assert.equal(stored.validUntil, '2027-12-31T00:00:00.000Z');
    // Any record is proven against the chunk id (its root, which the sealed state key names) from the event's rows alone.
    const records = expandChunk('qingdao', announced);
    const proof = chunkProof('qingdao', announced, 1);
    assert.equal(proof.root, summary.chunkId);
    assert.ok(verifyInclusion(evaluationRecordHash(records[1]!), proof));
    assert.ok(!verifyInclusion(evaluationRecordHash({ ...records[1]!, grade: 'D' }), proof));
  });

  it('writes nothing when the same chunk is recorded again (the id is the content)', async () => {
    const first = succeeded<{ chunkId: string }>(await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', chunk([row(1)])));
    const again = await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', chunk([row(1)]));
    noOp(again);
    assert.equal(succeeded<{ chunkId: string; unchanged: boolean }>(again).chunkId, first.chunkId);
    // The same rows from another city are another chunk.
    const weihai = succeeded<{ chunkId: string }>(await ledger.call('weihai', c.evaluations, 'RecordEvaluationChunk', chunk([row(1)])));
    assert.notEqual(weihai.chunkId, first.chunkId);
  });

  it('records corrections and withdrawals as new rows that name the record they supersede', async () => {
    const inv = await ledger.call(
      'qingdao',
      c.evaluations,
      'RecordEvaluationChunk',
      chunk([row(10, 'B', 'E-1'), ['E-11', pseudonymOf('s11'), 'A', hashOf('ev 11'), 'E-2', 'withdrawn']]),
    );
    succeeded(inv);
    const records = expandChunk('qingdao', singleEvent(inv).payload as unknown as EvaluationChunkRecord);
    assert.equal(records[0]?.supersedes, 'E-1');
    assert.equal(records[1]?.withdrawn, true);
  });

  it('refuses bad chunks and changes nothing', async () => {
    refused(await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', chunk([])), 'INVALID_ARGUMENT');
    refused(await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', chunk([row(1), row(1)])), 'INVALID_ARGUMENT', /repeats/);
    refused(await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', chunk([row(1, 'a')])), 'INVALID_ARGUMENT', /rows/);
    refused(
      await ledger.call(
        'qingdao',
        c.evaluations,
        'RecordEvaluationChunk',
        chunk([['E-1', pseudonymOf('s1'), 'A', hashOf('ev 1'), null, 'withdrawn'] as unknown as EvaluationRow]),
      ),
      'INVALID_ARGUMENT',
      /rows\[0\]\[4\]/,
    );
    refused(
      await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', { ...chunk([row(1)]), periodEnd: '2025-01-01' }),
      'INVALID_ARGUMENT',
    );
    const many = Array.from({ length: MAX_CHUNK_EVALUATIONS + 1 }, (_, i) => row(i));
    refused(await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', chunk(many)), 'INVALID_ARGUMENT', /at most/);
    refused(await ledger.call('qingdao', c.evaluations, 'GetEvaluationChunk', { city: 'qingdao', chunkId: 'f'.repeat(64) }), 'NOT_FOUND');
    assert.equal(ledger.world.values.size, 0);
  });

  it('ignores a chunk other cities created in Qingdao’s name (no seal), and Qingdao’s own recording of it writes over it and seals it', async () => {
    const input = { ...chunk([row(1), row(2)]), validUntil: '2027-12-31T00:00:00.000Z' }; // as the chaincode normalises it
    const chunkId = chunkIdOf('qingdao', input);
    // Weifang (a modified chaincode, endorsed with Rizhao) writes the chunk key in Qingdao's name, with a grade of its own.
    const forged: EvaluationChunkRecord = {
      city: 'qingdao',
      chunkId,
      leafScheme: LEAF_SCHEME,
      count: 2,
      ...input,
      rows: [row(1, 'D'), row(2)],
      recordedAt: '2026-01-01T00:00:00.000Z',
      txId: 'forged',
    };
    const inv = await ledger.invoke('weifang', async (ctx) => {
      await ctx.stub.putState(ctx.stub.createCompositeKey('evaluationChunk', ['qingdao', chunkId]), canonicalJsonBytes(forged));
      return '{}';
    });
    assert.equal(inv.error, undefined);
    refused(await ledger.call('yantai', c.evaluations, 'GetEvaluationChunk', { city: 'qingdao', chunkId }), 'NOT_FOUND');
    // Qingdao's upload of the same records is not taken for "already recorded": it is written, sealed and announced.
    const own = await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', input);
    assert.equal(succeeded<{ unchanged: boolean }>(own).unchanged, false);
    const announced = singleEvent(own);
    assert.equal(announced.name, 'EvaluationChunkRecorded');
    assert.deepEqual((announced.payload as unknown as EvaluationChunkRecord).rows, input.rows, "Qingdao's rows, announced");
    const stored = await ledger.ok<StoredEvaluationChunk>('yantai', c.evaluations, 'GetEvaluationChunk', { city: 'qingdao', chunkId });
    assert.deepEqual([stored.txId, stored.count, stored.rows], [own.txId, 2, undefined], "Qingdao's own commitment, sealed");
    noOp(await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', input));
  });

  it('stops counting a sealed chunk whose bytes were changed (the seal is of the exact bytes)', async () => {
    const { chunkId } = succeeded<{ chunkId: string }>(
      await ledger.call('qingdao', c.evaluations, 'RecordEvaluationChunk', chunk([row(1)])),
    );
    const key = ledger.world.values.keys().next().value as string;
    const stored = JSON.parse(Buffer.from(ledger.world.values.get(key)!).toString('utf8')) as EvaluationChunkRecord;
    ledger.world.values.set(key, canonicalJsonBytes({ ...stored, count: 2 }));
    refused(await ledger.call('yantai', c.evaluations, 'GetEvaluationChunk', { city: 'qingdao', chunkId }), 'NOT_FOUND');
  });
});
