import assert from 'node:assert/strict';
import { canonicalJson } from '../canonicalJson.js';
import { sha256Hex } from '../hash.js';
import { verifyInclusion } from '../merkle/proof.js';
import { chunkIdOf, chunkProof, evaluationRecordHash, expandChunk, recordEvaluationChunkInput, WITHDRAWN } from './evaluationChunk.js';
import { parseLedgerInput } from './parse.js';

const ps = (n: number) => `ps1-${sha256Hex(`subject ${n}`)}`;
const chunk = parseLedgerInput(recordEvaluationChunkInput, {
  scheme: 'qingdao-enterprise-2026',
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  validUntil: '2027-12-31T00:00:00+08:00',
  rows: [
    ['QD-1', ps(1), 'A', sha256Hex('e1')],
    ['QD-2', ps(2), 'B', sha256Hex('e2'), 'QD-0'],
    ['QD-3', ps(3), 'C', sha256Hex('e3'), 'QD-1', WITHDRAWN],
  ],
});

describe('evaluation chunks', () => {
  it('expands rows into records whose plain JSON is their canonical JSON', () => {
    const records = expandChunk('qingdao', chunk);
    for (const r of records) assert.equal(JSON.stringify(r), canonicalJson(r));
    assert.equal(records[0]?.validUntil, '2027-12-30T16:00:00.000Z');
    assert.deepEqual([records[1]?.supersedes, records[2]?.withdrawn], ['QD-0', true]);
  });

  it('names a chunk by the Merkle root of its records, and proves each record to it', () => {
    const id = chunkIdOf('qingdao', chunk);
    assert.notEqual(id, chunkIdOf('yantai', chunk), 'the city is part of every record');
    const records = expandChunk('qingdao', chunk);
    records.forEach((record, i) => {
      const proof = chunkProof('qingdao', chunk, i);
      assert.equal(proof.root, id);
      assert.ok(verifyInclusion(evaluationRecordHash(record), proof));
    });
    assert.ok(!verifyInclusion(evaluationRecordHash({ ...records[0]!, grade: 'D' }), chunkProof('qingdao', chunk, 0)));
  });
});
