/**
 * The conformance vectors against the verification core, with an in-memory
 * ledger port holding exactly each vector's ledger facts; then through the
 * gateway's fast path: a verification worker over in-memory index tables
 * holding the same facts (what it cannot answer handed back to the main thread).
 */
import assert from 'node:assert/strict';
import { verdictSchema, verifyDocument } from '@jcc/domain';
import { silentLog } from '../../gateway/src/lib/testing.js';
import { IndexView } from '../../gateway/src/verify/index-view.js';
import { MemoryTables, type TableChange } from '../../gateway/src/verify/memory-tables.js';
import { Verifier } from '../../gateway/src/verify/verifier.js';
import { VerifyWorkers } from '../../gateway/src/verify/verify-workers.js';
import { MemoryPort, loadVectors, verdictOutline, type ConformanceVector } from './vector.js';

describe('conformance vectors: the verification core', () => {
  const vectors = loadVectors();

  it('covers every failure class and the valid cases', () => {
    const names = vectors.map((v) => v.name);
    for (const name of [
      'valid-single',
      'valid-batch',
      'valid-rotated-key',
      'valid-not-recognised',
      'tampered-signature',
      'unknown-kid',
      'revoked',
      'superseded',
      'expired',
      'payload-not-canonical',
      'header-extra-member',
      'issued-in-future',
      'batch-outside-range',
      'anchor-issuedat-differs',
      'anchor-validuntil-differs',
      'anchor-doctype-differs',
      'jws-trailing-newline',
      'sm2-dual-valid',
      'sm2-only-valid',
      'sm2-tampered-signature',
      'sm2-key-not-registered',
      'sm2-anchor-sm3-differs',
    ])
      assert.ok(names.includes(name), `no vector ${name}`);
  });

  for (const vector of vectors) {
    it(`${vector.name}: ${vector.description}`, async () => {
      const verdict = await verifyDocument(vector.bundle, new MemoryPort(vector.ledger), {
        verifyingCity: vector.verifyingCity,
        now: new Date(vector.now),
      });
      verdictSchema.parse(verdict);
      assert.deepEqual(verdictOutline(verdict, vector), vector.expected, JSON.stringify(verdict.checks, null, 1));
    });
  }
});

describe("conformance vectors: the gateway's fast path (verification workers over in-memory index tables)", function () {
  this.timeout(30_000);
  const vectors = loadVectors();
  const memory = new MemoryTables();
  let workers: VerifyWorkers;
  before(async () => {
    workers = new VerifyWorkers(1, memory, silentLog);
    await workers.whenLoaded();
  });
  after(() => workers.stop());

  /** The vector's ledger facts as the index's tables hold them. */
  async function changesOf(vector: ConformanceVector): Promise<TableChange[]> {
    const port = new MemoryPort(vector.ledger);
    const changes: TableChange[] = [];
    for (const k of vector.ledger.keys) {
      const kid = String(k.jwk.kid);
      changes.push({ table: 'keys', key: `${k.city}|${kid}`, value: { ...(await port.key(k.city, kid)), blockNumber: 1 } });
    }
    for (const { city, id } of [...vector.ledger.anchors, ...vector.ledger.statuses]) {
      const facts = await port.document(city, id);
      if (facts?.anchor) changes.push({ table: 'anchors', key: `${city}|${id}`, value: facts.anchor });
      if (facts?.status) changes.push({ table: 'statuses', key: `${city}|${id}`, value: { ...facts.status, blockNumber: 1 } });
    }
    for (const b of vector.ledger.batches)
      changes.push({ table: 'batches', key: `${b.city}|${b.batchId}`, value: await port.batch(b.city, b.batchId) });
    for (const r of vector.ledger.recognitions)
      changes.push({ table: 'recognitions', key: `${r.recognisingCity}|${r.issuerCity}|${r.documentId}`, value: { ...r, blockNumber: 1 } });
    return changes;
  }

  it('reports a revocation as soon as the index applied it, with the height that includes it', async () => {
    const vector = vectors.find((v) => v.name === 'valid-single')!;
    memory.clear();
    workers.clear();
    const changes = await changesOf(vector);
    memory.apply(changes);
    workers.apply(changes);
    const state = { caughtUp: true, height: 7 };
    const lookups: string[] = [];
    const verifier = new Verifier({
      city: vector.verifyingCity,
      view: new IndexView(memory, state, Object.assign(new MemoryPort(vector.ledger), { gatewayUrl: async () => undefined })),
      clock: () => Date.parse(vector.now),
      workers: { pool: workers, state, onLookups: (l) => lookups.push(...l) },
    });
    assert.equal((await verifier.verify(vector.bundle)).valid, true);
    const anchor = vector.ledger.anchors[0]!;
    const revoked: TableChange[] = [
      {
        table: 'statuses',
        key: `${anchor.city}|${anchor.id}`,
        value: { city: anchor.city, id: anchor.id, status: 'revoked', reason: 'test', at: vector.now, txId: 'tx.r', blockNumber: 7 },
      },
    ];
    memory.apply(revoked);
    workers.apply(revoked);
    state.height = 8;
    const verdict = await verifier.verify(vector.bundle);
    assert.equal(verdict.valid, false);
    assert.equal(verdict.checks.find((c) => c.check === 'status')?.reason, 'revoked');
    assert.equal(verdict.ledgerHeight, 8);
    assert.ok(lookups.length > 0 && lookups.every((l) => l.startsWith('index:')), `answered by the worker: ${lookups.join(', ')}`);
  });

  for (const vector of vectors) {
    it(`${vector.name}`, async () => {
      // The main thread's copy and the worker's receive the same changes, as the event index sends them.
      memory.clear();
      workers.clear();
      const changes = await changesOf(vector);
      memory.apply(changes);
      workers.apply(changes);
      const state = { caughtUp: true, height: 1 };
      const view = new IndexView(memory, state, Object.assign(new MemoryPort(vector.ledger), { gatewayUrl: async () => undefined }));
      let handedBack = 0;
      const verifier = new Verifier({
        city: vector.verifyingCity,
        view,
        clock: () => Date.parse(vector.now),
        workers: { pool: workers, state, onLookups: (l) => (handedBack += l.filter((x) => x.startsWith('peer:')).length) },
      });
      const verdict = await verifier.verify(vector.bundle);
      verdictSchema.parse(verdict);
      assert.deepEqual(verdictOutline(verdict, vector), vector.expected, JSON.stringify(verdict.checks, null, 1));
      const direct = await verifyDocument(vector.bundle, view, { verifyingCity: vector.verifyingCity, now: new Date(vector.now) });
      assert.deepEqual(verdict, direct, 'the worker and the main thread give the same verdict');
      if (handedBack === 0) assert.equal(verdict.ledgerHeight, 1);
    });
  }
});
