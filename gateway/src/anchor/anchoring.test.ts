import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEAF_SCHEME_SM3, documentHashSm3, verifyInclusion, type BatchRecord, type DocumentAnchorRecord } from '@jcc/domain';
import { Issuer, IdempotencyConflictError, IssueRequestError, requestFingerprint, type IssueRequest } from '../issue/issuer.js';
import { KeyStore } from '../keys/keystore.js';
import { LedgerUnavailableError } from '../fabric/errors.js';
import type { Ledger } from '../fabric/ledger.js';
import { ScriptedLedger, eventually, refusal, silentLog, tempStore } from '../lib/testing.js';
import { documentTables, type DocumentTables } from '../store/documents.js';
import type { Store } from '../store/store.js';
import { BatchAnchorer, type BatchPlan } from './batch-anchorer.js';
import { SingleAnchorer } from './single-anchorer.js';

const request = (anchor: 'single' | 'batch', validUntil = '2099-01-01T00:00:00.000Z'): IssueRequest => ({
  subject: { kind: 'enterprise', uscc: '91350100M000100Y43' },
  docType: 'creditReport',
  reportType: 'publicCreditReport',
  content: { summary: 'ok' },
  validUntil,
  anchor,
});

/** The chaincode's idempotent anchoring, in memory. */
function anchoringLedger(): ScriptedLedger {
  const anchors = new Map<string, DocumentAnchorRecord>();
  const batches = new Map<string, BatchRecord>();
  const ledger = new ScriptedLedger();
  ledger.script('reports:AnchorDocument', (input) => (txId: string) => {
    const existing = anchors.get(input.id as string);
    if (existing) return existing;
    const record = {
      ...(input as unknown as DocumentAnchorRecord),
      city: 'qingdao' as const,
      status: 'active' as const,
      anchoredAt: new Date().toISOString(),
      txId,
    };
    anchors.set(record.id, record);
    return record;
  });
  ledger.script('reports:AnchorBatch', (input) => (txId: string) => {
    const existing = batches.get(input.batchId as string);
    if (existing) return existing;
    const record = { ...(input as unknown as BatchRecord), city: 'qingdao' as const, anchoredAt: new Date().toISOString(), txId };
    batches.set(record.batchId, record);
    return record;
  });
  return ledger;
}

describe('issuing and anchoring', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let keysDir: string;
  let store: Store;
  let tables: DocumentTables;
  let issuer: Issuer;

  beforeEach(async () => {
    env = await tempStore();
    store = env.store;
    tables = documentTables(store);
    keysDir = await mkdtemp(join(tmpdir(), 'jcc-keys-'));
    issuer = new Issuer({
      city: 'qingdao',
      secret: 'k'.repeat(32),
      keys: await KeyStore.open(keysDir, 'qingdao'),
      store,
      tables,
      clock: Date.now,
    });
  });
  afterEach(async () => {
    await env.cleanup();
    await rm(keysDir, { recursive: true, force: true });
  });

  /** A Qingdao batch anchorer over this test's store (one batch at a time), its outbox counted. */
  async function batchAnchorer(ledger: Ledger, options: { maxSize: number; maxAgeMs?: number; pollMs?: number }): Promise<BatchAnchorer> {
    const anchorer = new BatchAnchorer(store, tables, ledger, silentLog, {
      city: 'qingdao',
      maxAgeMs: 60_000,
      concurrency: 1,
      pollMs: 20,
      ...options,
    });
    await anchorer.init();
    return anchorer;
  }

  it('stores the document and its outbox entry together', async () => {
    const issued = await issuer.issue(request('single'), 'op');
    const doc = await tables.documents.get(issued.id);
    assert.equal(doc?.jws, issued.jws);
    const outbox = await tables.outbox.single.list();
    assert.deepEqual(
      outbox.map(([, e]) => e.docId),
      [issued.id],
    );
    assert.equal(doc?.subjectPseudonym.startsWith('ps1-'), true);
    assert.doesNotMatch(JSON.stringify(outbox), /91350100M000100Y43/);
  });

  it('replays an idempotent retry and refuses the key with another body', async () => {
    const idem = { scope: 'qingdao|op', key: 'k-1', fingerprint: requestFingerprint(request('single')) };
    const first = await issuer.issue(request('single'), 'op', idem);
    const [again, concurrent] = await Promise.all([
      issuer.issue(request('single'), 'op', idem),
      issuer.issue(request('single'), 'op', idem),
    ]);
    assert.equal(again.id, first.id);
    assert.equal(again.jws, first.jws);
    assert.equal(concurrent.jws, first.jws);
    assert.equal(again.replayed, true);
    assert.equal((await tables.outbox.single.list()).length, 1);
    await assert.rejects(issuer.issue(request('batch'), 'op', { ...idem, fingerprint: 'other' }), IdempotencyConflictError);
  });

  it('refuses a validity in the past', async () => {
    await assert.rejects(issuer.issue(request('single', '2020-01-01T00:00:00.000Z'), 'op'), IssueRequestError);
  });

  it('anchors single documents once, retrying when the ledger is unavailable', async () => {
    const ledger = anchoringLedger();
    const base = ledger.scripts.get('reports:AnchorDocument');
    ledger.script('reports:AnchorDocument', (input, n) =>
      n === 1 ? new LedgerUnavailableError('reports:AnchorDocument', 'down') : base?.(input, n),
    );
    const issued = await Promise.all([issuer.issue(request('single'), 'op'), issuer.issue(request('single'), 'op')]);
    const anchorer = new SingleAnchorer(store, tables, ledger, silentLog, { concurrency: 4, pollMs: 20 });
    anchorer.start();
    try {
      await eventually(async () => (await tables.outbox.single.list()).length === 0, 8000);
    } finally {
      await anchorer.stop();
    }
    for (const { id } of issued) {
      const doc = await tables.documents.get(id);
      assert.ok(doc?.anchor?.txId, 'anchored');
      assert.equal(typeof doc?.anchor?.blockNumber, 'number');
    }
  });

  it('takes the existing transaction when the anchor was already committed before a crash', async () => {
    const ledger = anchoringLedger();
    const issued = await issuer.issue(request('single'), 'op');
    const doc = await tables.documents.get(issued.id);
    // An earlier process submitted it and died before recording the result.
    await ledger.submit('reports:AnchorDocument', {
      id: issued.id,
      docType: 'creditReport',
      subjectPseudonym: doc?.subjectPseudonym,
      contentHash: doc?.contentHash,
      issuedAt: doc?.issuedAt,
      validUntil: doc?.validUntil,
      kid: doc?.kid,
    });
    const anchorer = new SingleAnchorer(store, tables, ledger, silentLog, { concurrency: 1, pollMs: 20 });
    anchorer.start();
    try {
      await eventually(async () => (await tables.documents.get(issued.id))?.anchor !== undefined);
    } finally {
      await anchorer.stop();
    }
    const anchored = await tables.documents.get(issued.id);
    assert.equal(anchored?.anchor?.txId, 'tx1');
    assert.equal(anchored?.anchor?.blockNumber, 7); // looked up for the earlier transaction
  });

  it('marks a document failed when the ledger anchors another hash under its id', async () => {
    const ledger = new ScriptedLedger().script('reports:AnchorDocument', () =>
      refusal('reports:AnchorDocument', 'CONFLICT', 'other content'),
    );
    const issued = await issuer.issue(request('single'), 'op');
    const anchorer = new SingleAnchorer(store, tables, ledger, silentLog, { concurrency: 1, pollMs: 20 });
    anchorer.start();
    try {
      await eventually(async () => (await tables.documents.get(issued.id))?.failure !== undefined);
    } finally {
      await anchorer.stop();
    }
    assert.equal((await tables.documents.get(issued.id))?.failure?.code, 'CONFLICT');
    assert.equal((await tables.outbox.single.list()).length, 0);
  });

  it('cuts a batch when it is full, anchors the root and stores proofs that verify', async () => {
    const ledger = anchoringLedger();
    const anchorer = await batchAnchorer(ledger, { maxSize: 5, pollMs: 50 });
    const issued: Array<{ id: string }> = [];
    for (let i = 0; i < 5; i++) issued.push(await issuer.issue(request('batch'), 'op'));
    anchorer.queued(5);
    anchorer.start();
    try {
      await eventually(async () => (await tables.proofs.get(issued[4]!.id)) !== undefined);
    } finally {
      await anchorer.stop();
    }
    const calls = ledger.calls.filter((c) => c.transaction === 'reports:AnchorBatch');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.input.leafCount, 5);
    // Ed25519 documents only: anchored as before, without an SM3 root, and proofs without an SM3 path.
    assert.equal(calls[0]?.input.rootSm3, undefined);
    assert.equal(calls[0]?.input.leafSchemeSm3, undefined);
    for (const [i, { id }] of issued.entries()) {
      const proof = await tables.proofs.get(id);
      const doc = await tables.documents.get(id);
      assert.equal(proof?.leafIndex, i);
      assert.equal(proof?.root, calls[0]?.input.root);
      assert.equal(verifyInclusion(doc?.contentHash as string, proof as never), true);
      assert.equal(proof?.auditPathSm3, undefined);
    }
  });

  describe('documents signed with SM2 (JSON serialization)', () => {
    let sm2KeysDir: string;
    let sm2Issuer: Issuer;

    beforeEach(async () => {
      sm2KeysDir = await mkdtemp(join(tmpdir(), 'jcc-keys-sm2-'));
      sm2Issuer = new Issuer({
        city: 'qingdao',
        secret: 'k'.repeat(32),
        keys: await KeyStore.open(sm2KeysDir, 'qingdao', Date.now, { sm2: true }),
        store,
        tables,
        clock: Date.now,
        suite: 'ed25519+sm2',
      });
    });
    afterEach(async () => {
      await rm(sm2KeysDir, { recursive: true, force: true });
    });

    /** Anchors what waits in the outbox as one batch of `size`; answers the AnchorBatch input. */
    async function anchorBatch(ledger: ScriptedLedger, size: number, lastId: string): Promise<Record<string, unknown>> {
      const anchorer = await batchAnchorer(ledger, { maxSize: size });
      anchorer.start();
      try {
        await eventually(async () => (await tables.proofs.get(lastId)) !== undefined);
      } finally {
        await anchorer.stop();
      }
      const calls = ledger.calls.filter((c) => c.transaction === 'reports:AnchorBatch');
      assert.equal(calls.length, 1);
      return calls[0]?.input as Record<string, unknown>;
    }

    /** Each document's proof leads by SHA-256 to `root` and by SM3 to `rootSm3`, at the same leaf index. */
    async function assertBothPaths(ids: string[], input: Record<string, unknown>): Promise<void> {
      for (const [i, id] of ids.entries()) {
        const proof = await tables.proofs.get(id);
        const doc = await tables.documents.get(id);
        assert.ok(proof && doc?.jws);
        assert.equal(proof.leafIndex, i);
        const { leafIndex, treeSize } = proof;
        assert.equal(
          verifyInclusion(doc.contentHash, { leafIndex, treeSize, leafHash: proof.leafHash, auditPath: proof.auditPath, root: proof.root }),
          true,
        );
        assert.equal(proof.rootSm3, input.rootSm3);
        const sm3 = {
          leafIndex,
          treeSize,
          leafHash: proof.leafHashSm3 as string,
          auditPath: proof.auditPathSm3 as string[],
          root: proof.rootSm3 as string,
        };
        assert.equal(verifyInclusion(documentHashSm3(doc.jws), sm3, LEAF_SCHEME_SM3), true, `SM3 path of leaf ${i}`);
        // the SM3 path is not the SHA-256 one relabelled
        assert.equal(verifyInclusion(doc.contentHash, sm3, LEAF_SCHEME_SM3), false);
      }
    }

    it('anchors the rfc9162-sm3/v1 root beside the SHA-256 one and gives each proof its SM3 path', async () => {
      const ledger = anchoringLedger();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await sm2Issuer.issue(request('batch'), 'op')).id);
      const entries = await tables.outbox.batch.list();
      assert.ok(
        entries.every(([, e]) => /^[0-9a-f]{64}$/.test(e.contentHashSm3 ?? '')),
        'each outbox entry carries its SM3 hash',
      );
      const input = await anchorBatch(ledger, 5, ids[4] as string);
      assert.equal(input.leafSchemeSm3, LEAF_SCHEME_SM3);
      assert.match(String(input.rootSm3), /^[0-9a-f]{64}$/);
      assert.notEqual(input.rootSm3, input.root);
      await assertBothPaths(ids, input);
    });

    it('hashes an Ed25519 document waiting in the same batch from its stored body', async () => {
      const ledger = anchoringLedger();
      const ids = [
        (await issuer.issue(request('batch'), 'op')).id,
        (await sm2Issuer.issue(request('batch'), 'op')).id,
        (await issuer.issue(request('batch'), 'op')).id,
      ];
      const input = await anchorBatch(ledger, 3, ids[2] as string);
      assert.equal(input.leafSchemeSm3, LEAF_SCHEME_SM3);
      await assertBothPaths(ids, input);
    });

    it('keeps the SM3 root of a planned batch when resumed after a crash', async () => {
      const failing = new ScriptedLedger().script('reports:AnchorBatch', () => new LedgerUnavailableError('reports:AnchorBatch', 'killed'));
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await sm2Issuer.issue(request('batch'), 'op')).id);
      const first = await batchAnchorer(failing, { maxSize: 3 });
      first.start();
      await eventually(async () => failing.calls.length >= 1);
      await first.stop();
      const plan = (await first.plans.list())[0]?.[1] as BatchPlan;
      assert.match(plan.rootSm3 ?? '', /^[0-9a-f]{64}$/);
      const input = await anchorBatch(anchoringLedger(), 3, ids[2] as string);
      assert.equal(input.rootSm3, plan.rootSm3);
      await assertBothPaths(ids, input);
    });
  });

  it('cuts a partial batch when the oldest document is old enough', async () => {
    const ledger = anchoringLedger();
    const anchorer = await batchAnchorer(ledger, { maxSize: 1000, maxAgeMs: 100, pollMs: 1000 });
    // The age limit counts from the document's issue, so the clock starts before issuing.
    const started = Date.now();
    const issued = await issuer.issue(request('batch'), 'op');
    anchorer.queued();
    anchorer.start();
    try {
      await eventually(async () => (await tables.proofs.get(issued.id)) !== undefined, 3000);
    } finally {
      await anchorer.stop();
    }
    assert.ok(Date.now() - started >= 90, 'not before the age limit');
    assert.equal((await tables.proofs.get(issued.id))?.treeSize, 1);
  });

  it('resumes a planned batch after a crash with the same id and root, anchoring nothing twice', async () => {
    const ledger = anchoringLedger();
    const failing = new ScriptedLedger().script('reports:AnchorBatch', () => new LedgerUnavailableError('reports:AnchorBatch', 'killed'));
    const first = await batchAnchorer(failing, { maxSize: 3 });
    const issued: Array<{ id: string }> = [];
    for (let i = 0; i < 3; i++) issued.push(await issuer.issue(request('batch'), 'op'));
    first.queued(3);
    first.start();
    await eventually(async () => failing.calls.length >= 1);
    await first.stop();
    const plans = await first.plans.list();
    assert.equal(plans.length, 1);
    const plan = plans[0]?.[1] as BatchPlan;
    assert.equal(plan.state, 'planned');
    // More documents arrive; the restarted anchorer must not mix them into the planned batch.
    const later = await issuer.issue(request('batch'), 'op');
    const second = await batchAnchorer(ledger, { maxSize: 3 });
    second.start();
    try {
      await eventually(async () => ((await second.plans.get(plan.batchId))?.state ?? '') === 'done');
    } finally {
      await second.stop();
    }
    const anchored = ledger.calls.filter((c) => c.transaction === 'reports:AnchorBatch');
    assert.equal(anchored.length, 1);
    assert.equal(anchored[0]?.input.batchId, plan.batchId);
    assert.equal(anchored[0]?.input.root, plan.root);
    for (const { id } of issued) assert.equal((await tables.proofs.get(id))?.batchId, plan.batchId);
    assert.equal(await tables.proofs.get(later.id), undefined);
    assert.equal((await tables.outbox.batch.list()).length, 1);
  });
});
