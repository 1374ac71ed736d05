import assert from 'node:assert/strict';
import { CompactSign, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { canonicalJsonBytes, DOCUMENT_JWS_TYPE, MerkleBatch, sha256, sha256Hex, type CityId, type CreditDocument } from '@jcc/domain';
import type { AnchorRecord, AnchorTransaction, BatchRecord, KeyRecord, LedgerReader, RecognitionAnswer, StatusRecord } from './ledger.js';
import { verifyOffline } from './verify.js';

const NOW = new Date('2026-11-26T12:00:00.000Z');

/** An in-memory ledger holding exactly what a test puts in it. */
class MemoryLedger implements LedgerReader {
  keys = new Map<string, KeyRecord>();
  documents = new Map<string, { anchor?: AnchorRecord; status?: StatusRecord }>();
  batches = new Map<string, BatchRecord>();
  transactions = new Map<string, AnchorTransaction>();
  blocks = new Map<string, number>();
  recognition: RecognitionAnswer = { recognised: false, basis: 'none' };

  async getKey(city: CityId, kid: string) {
    return this.keys.get(`${city}/${kid}`);
  }
  async getDocument(city: CityId, id: string) {
    return this.documents.get(`${city}/${id}`);
  }
  async getBatch(city: CityId, batchId: string) {
    return this.batches.get(`${city}/${batchId}`);
  }
  async isRecognised() {
    return this.recognition;
  }
  async getTransaction(txId: string) {
    return this.transactions.get(txId);
  }
  async getBlockNumber(txId: string) {
    return this.blocks.get(txId);
  }
}

let privateKey: CryptoKey;
let publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string };

function makeDocument(id: string, overrides: Partial<CreditDocument> = {}): CreditDocument {
  return {
    schema: 'jcc-document/v1',
    id,
    type: 'creditReport',
    issuer: { city: 'qingdao', mspId: 'QingdaoMSP' },
    subject: { kind: 'enterprise', uscc: '91350100M000100Y43', pseudonym: `ps1-${'a'.repeat(64)}` },
    issuedAt: '2026-11-20T08:00:00.000Z',
    validUntil: '2027-11-20T08:00:00.000Z',
    content: { reportType: 'publicCreditReport', findings: [] },
    ...overrides,
  };
}

async function sign(document: CreditDocument, kid = 'qd-doc-1'): Promise<string> {
  return new CompactSign(canonicalJsonBytes(document)).setProtectedHeader({ alg: 'EdDSA', kid, typ: DOCUMENT_JWS_TYPE }).sign(privateKey);
}

function registerKey(ledger: MemoryLedger, extra: Partial<KeyRecord> = {}): void {
  ledger.keys.set('qingdao/qd-doc-1', {
    city: 'qingdao',
    kid: 'qd-doc-1',
    use: 'document',
    jwk: { ...publicJwk, kid: 'qd-doc-1' },
    validFrom: '2026-01-01T00:00:00.000Z',
    registeredAt: '2026-01-01T00:00:00.000Z',
    txId: 'tx-key',
    ...extra,
  });
}

function anchorSingle(ledger: MemoryLedger, document: CreditDocument, jws: string, status?: StatusRecord): void {
  ledger.documents.set(`qingdao/${document.id}`, {
    anchor: {
      city: 'qingdao',
      id: document.id,
      docType: document.type,
      subjectPseudonym: document.subject.pseudonym,
      contentHash: sha256Hex(jws),
      issuedAt: document.issuedAt,
      validUntil: document.validUntil,
      kid: 'qd-doc-1',
      status: 'active',
      anchoredAt: '2026-11-20T08:00:02.000Z',
      txId: 'tx-single',
    },
    ...(status ? { status } : {}),
  });
  ledger.blocks.set('tx-single', 17);
}

function byName(result: { checks: { check: string; state: string; reason: string; ok: boolean; detail?: string }[] }) {
  return Object.fromEntries(result.checks.map((c) => [c.check, c]));
}

describe('offline verification (verifyOffline)', () => {
  before(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    privateKey = pair.privateKey;
    const { x } = await exportJWK(pair.publicKey);
    publicJwk = { kty: 'OKP', crv: 'Ed25519', x: x as string };
  });

  it('finds a single-anchored document valid, every check passing, with block and transaction', async () => {
    const ledger = new MemoryLedger();
    registerKey(ledger);
    const doc = makeDocument('qd-1');
    const jws = await sign(doc);
    anchorSingle(ledger, doc, jws);
    const result = await verifyOffline({ jws }, ledger, { recognisingCity: 'qingdao', now: NOW });
    assert.equal(result.valid, true, JSON.stringify(result.checks));
    assert.deepEqual(
      result.checks.map((c) => c.check),
      ['signature', 'issuerKey', 'anchored', 'status', 'notExpired', 'recognised'],
    );
    assert.ok(result.checks.every((c) => c.ok));
    assert.deepEqual(result.anchor, { mode: 'single', txId: 'tx-single', blockNumber: 17, anchoredAt: '2026-11-20T08:00:02.000Z' });
    assert.equal(result.issuer?.city, 'qingdao');
    assert.equal(result.documentHash, sha256Hex(jws));
  });

  it('fails signature and anchor for a document whose payload was altered after signing', async () => {
    const ledger = new MemoryLedger();
    registerKey(ledger);
    const doc = makeDocument('qd-2');
    const jws = await sign(doc);
    anchorSingle(ledger, doc, jws);
    const [h, , s] = jws.split('.');
    const altered = Buffer.from(
      canonicalJsonBytes({ ...doc, content: { reportType: 'publicCreditReport', findings: ['none'], grade: 'A' } }),
    ).toString('base64url');
    const result = await verifyOffline({ jws: `${h}.${altered}.${s}` }, ledger, { recognisingCity: 'qingdao', now: NOW });
    const checks = byName(result);
    assert.equal(result.valid, false);
    assert.equal(checks.signature?.ok, false);
    assert.match(checks.signature?.detail ?? '', /does not match/);
    assert.equal(checks.anchored?.ok, false);
    assert.match(checks.anchored?.detail ?? '', /different hash/);
  });

  it('reports a revoked document as invalid, the status check saying revoked and why', async () => {
    const ledger = new MemoryLedger();
    registerKey(ledger);
    const doc = makeDocument('qd-3');
    const jws = await sign(doc);
    anchorSingle(ledger, doc, jws, {
      city: 'qingdao',
      id: 'qd-3',
      status: 'revoked',
      reason: 'issued in error',
      at: '2026-11-25T00:00:00.000Z',
      txId: 'tx-r',
    });
    const result = await verifyOffline({ jws }, ledger, { recognisingCity: 'qingdao', now: NOW });
    const checks = byName(result);
    assert.equal(result.valid, false);
    assert.equal(checks.status?.ok, false);
    assert.match(checks.status?.detail ?? '', /revoked .*issued in error/);
    assert.equal(checks.signature?.ok, true);
    assert.equal(checks.anchored?.ok, true);
  });

  it('reports a superseded document with its replacement', async () => {
    const ledger = new MemoryLedger();
    registerKey(ledger);
    const doc = makeDocument('qd-3b');
    const jws = await sign(doc);
    anchorSingle(ledger, doc, jws, {
      city: 'qingdao',
      id: 'qd-3b',
      status: 'superseded',
      replacementId: 'qd-4',
      reason: 'corrected',
      at: '2026-11-21T08:00:00.000Z',
      txId: 'tx-supersede',
    });
    const checks = byName(await verifyOffline({ jws }, ledger, { recognisingCity: 'qingdao', now: NOW }));
    assert.equal(checks.status?.ok, false);
    assert.match(checks.status?.detail ?? '', /superseded by qd-4/);
  });

  describe('batch-anchored documents', () => {
    async function batchOf(count: number, index: number) {
      const docs = Array.from({ length: count }, (_, i) => makeDocument(`qd-b-${i}`));
      const jwss = await Promise.all(docs.map((d) => sign(d)));
      const tree = new MerkleBatch(jwss.map((j) => sha256(j)));
      const ledger = new MemoryLedger();
      registerKey(ledger);
      ledger.batches.set('qingdao/batch-9', {
        city: 'qingdao',
        batchId: 'batch-9',
        root: tree.rootHex,
        leafCount: count,
        leafScheme: 'rfc9162-sha256/v1',
        firstIssuedAt: '2026-11-20T08:00:00.000Z',
        lastIssuedAt: '2026-11-20T08:00:00.000Z',
        anchoredAt: '2026-11-20T08:00:01.000Z',
        txId: 'tx-batch',
      });
      ledger.blocks.set('tx-batch', 23);
      return { ledger, jws: jwss[index] as string, proof: { ...tree.proof(index), txId: 'tx-batch', blockNumber: 23 } };
    }

    it('accepts a proof naming its batch, recomputing the root', async () => {
      const { ledger, jws, proof } = await batchOf(5, 3);
      const result = await verifyOffline({ jws, proof: { ...proof, batchId: 'batch-9' } }, ledger, {
        recognisingCity: 'qingdao',
        now: NOW,
      });
      assert.equal(result.valid, true, JSON.stringify(result.checks));
      assert.equal(result.anchor?.mode, 'batch');
      assert.equal(result.anchor?.batchId, 'batch-9');
      assert.equal(result.anchor?.blockNumber, 23);
    });

    it("finds the batch under the gateways' name <city>.batch.<root> when the proof names none", async () => {
      const { ledger, jws, proof } = await batchOf(3, 2);
      const record = ledger.batches.get('qingdao/batch-9') as BatchRecord;
      ledger.batches.clear();
      ledger.batches.set(`qingdao/qingdao.batch.${proof.root}`, { ...record, batchId: `qingdao.batch.${proof.root}` });
      const result = await verifyOffline({ jws, proof }, ledger, { recognisingCity: 'qingdao', now: NOW });
      assert.equal(result.valid, true, JSON.stringify(result.checks));
      assert.equal(result.anchor?.batchId, `qingdao.batch.${proof.root}`);
    });

    it('refuses a proof that does not lead to the root', async () => {
      const { ledger, jws, proof } = await batchOf(5, 2);
      const bad = { ...proof, batchId: 'batch-9', auditPath: [...proof.auditPath].reverse() };
      const checks = byName(await verifyOffline({ jws, proof: bad }, ledger, { recognisingCity: 'qingdao', now: NOW }));
      assert.equal(checks.anchored?.ok, false);
      assert.match(checks.anchored?.detail ?? '', /does not lead/);
    });

    it('refuses a proof whose root is not the anchored one', async () => {
      const { ledger } = await batchOf(2, 1);
      // a consistent proof of another, never anchored, tree
      const other = await batchOf(3, 1);
      const checks = byName(
        await verifyOffline({ jws: other.jws, proof: { ...other.proof, batchId: 'batch-9' } }, ledger, {
          recognisingCity: 'qingdao',
          now: NOW,
        }),
      );
      assert.equal(checks.anchored?.ok, false);
      assert.match(checks.anchored?.detail ?? '', /another root/);
    });

    it('says a batch-anchored document needs its proof', async () => {
      const { ledger, jws } = await batchOf(2, 0);
      const checks = byName(await verifyOffline({ jws }, ledger, { recognisingCity: 'qingdao', now: NOW }));
      assert.equal(checks.anchored?.ok, false);
      assert.match(checks.anchored?.detail ?? '', /send its proof bundle/);
    });
  });

  it('fails signature and issuerKey when the key is not registered', async () => {
    const ledger = new MemoryLedger();
    const doc = makeDocument('qd-5');
    const jws = await sign(doc);
    anchorSingle(ledger, doc, jws);
    const checks = byName(await verifyOffline({ jws }, ledger, { recognisingCity: 'qingdao', now: NOW }));
    assert.equal(checks.signature?.ok, false);
    assert.equal(checks.issuerKey?.ok, false);
    assert.match(checks.issuerKey?.detail ?? '', /not registered/);
  });

  it('fails issuerKey when the key was revoked before the document was issued, not after', async () => {
    const ledger = new MemoryLedger();
    registerKey(ledger, { revokedAt: '2026-11-01T00:00:00.000Z' });
    const doc = makeDocument('qd-6');
    const jws = await sign(doc);
    anchorSingle(ledger, doc, jws);
    const before = byName(await verifyOffline({ jws }, ledger, { recognisingCity: 'qingdao', now: NOW }));
    assert.equal(before.issuerKey?.ok, false);
    registerKey(ledger, { revokedAt: '2026-11-21T00:00:00.000Z' });
    const after = byName(await verifyOffline({ jws }, ledger, { recognisingCity: 'qingdao', now: NOW }));
    assert.equal(after.issuerKey?.ok, true);
    assert.match(after.issuerKey?.detail ?? '', /revoked later/);
  });

  it('fails notExpired after validUntil', async () => {
    const ledger = new MemoryLedger();
    registerKey(ledger);
    const doc = makeDocument('qd-7', { validUntil: '2026-11-22T00:00:00.000Z' });
    const jws = await sign(doc);
    anchorSingle(ledger, doc, jws);
    const result = await verifyOffline({ jws }, ledger, { recognisingCity: 'qingdao', now: NOW });
    assert.equal(result.valid, false);
    assert.equal(byName(result).notExpired?.ok, false);
  });

  it('keeps a document valid when the verifying city has not recognised it', async () => {
    const ledger = new MemoryLedger();
    registerKey(ledger);
    const doc = makeDocument('qd-8');
    const jws = await sign(doc);
    anchorSingle(ledger, doc, jws);
    const result = await verifyOffline({ jws }, ledger, { recognisingCity: 'weihai', now: NOW });
    assert.equal(result.valid, true);
    assert.equal(byName(result).recognised?.ok, false);
    ledger.recognition = { recognised: true, basis: 'agreement', agreementId: 'qd-wh-1' };
    const recognised = byName(await verifyOffline({ jws }, ledger, { recognisingCity: 'weihai', now: NOW }));
    assert.equal(recognised.recognised?.ok, true);
    assert.match(recognised.recognised?.detail ?? '', /qd-wh-1/);
  });

  it('answers a malformed JWS with a failed signature check instead of throwing', async () => {
    const result = await verifyOffline({ jws: 'not-a-jws' }, new MemoryLedger(), { recognisingCity: 'qingdao', now: NOW });
    assert.equal(result.valid, false);
    assert.equal(result.checks.length, 6);
    assert.equal(byName(result).signature?.ok, false);
    assert.match(byName(result).signature?.detail ?? '', /malformed document/);
  });
});
