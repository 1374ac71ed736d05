import assert from 'node:assert/strict';
import { generateKeyPair, exportJWK, type CryptoKey } from 'jose';
import {
  DOCUMENT_SCHEMA,
  MerkleBatch,
  subjectPseudonym,
  type BatchRecord,
  type CityId,
  type CreditDocument,
  type DocumentFacts,
  type KeyRecord,
  type RecognitionVerdict,
} from '@jcc/domain';
import { documentHash, signDocument } from '../issue/document-jws.js';
import type { LedgerView, RecognitionQuestion, WithBlock } from './ledger-view.js';
import { batchIdFor } from './proof-schema.js';
import { Verifier } from './verifier.js';

const NOW = Date.parse('2026-11-26T10:00:00.000Z');

/** An in-memory ledger view for the verifier's unit tests. */
class MemoryView implements LedgerView {
  readonly source = 'index' as const;
  keys = new Map<string, KeyRecord>();
  documents = new Map<string, DocumentFacts>();
  batches = new Map<string, WithBlock<BatchRecord>>();
  recognitions: RecognitionVerdict = { recognised: false, basis: 'none' };
  questions: RecognitionQuestion[] = [];
  async height() {
    return 7;
  }
  async key(city: CityId, kid: string) {
    return this.keys.get(`${city}|${kid}`);
  }
  async document(city: CityId, id: string) {
    return this.documents.get(`${city}|${id}`);
  }
  async batch(city: CityId, batchId: string) {
    return this.batches.get(`${city}|${batchId}`);
  }
  async recognition(q: RecognitionQuestion) {
    this.questions.push(q);
    return this.recognitions;
  }
  async gatewayUrl() {
    return undefined;
  }
}

interface Fixture {
  view: MemoryView;
  verifier: (city?: CityId) => Verifier;
  privateKey: CryptoKey;
  kid: string;
  issue(overrides?: Partial<CreditDocument>): Promise<{ jws: string; doc: CreditDocument }>;
  anchor(jws: string, doc: CreditDocument): void;
}

async function fixture(): Promise<Fixture> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = 'qingdao.document.k1';
  const jwk = { ...(await exportJWK(publicKey)), kid } as KeyRecord['jwk'];
  const view = new MemoryView();
  view.keys.set(`qingdao|${kid}`, {
    city: 'qingdao',
    kid,
    use: 'document',
    jwk,
    validFrom: '2026-01-01T00:00:00.000Z',
    registeredAt: '2026-01-01T00:00:00.000Z',
    txId: 'txk',
  });
  let n = 0;
  return {
    view,
    privateKey,
    kid,
    verifier: (city = 'yantai') => new Verifier({ city, view, clock: () => NOW }),
    async issue(overrides = {}) {
      const doc: CreditDocument = {
        schema: DOCUMENT_SCHEMA,
        id: `qingdao-cr-20261126-t${++n}`,
        type: 'creditReport',
        issuer: { city: 'qingdao', mspId: 'QingdaoMSP' },
        subject: {
          kind: 'enterprise',
          uscc: '91350100M000100Y43',
          pseudonym: subjectPseudonym('x'.repeat(32), { kind: 'enterprise', uscc: '91350100M000100Y43' }),
        },
        issuedAt: '2026-11-26T08:00:00.000Z',
        validUntil: '2027-11-26T08:00:00.000Z',
        content: { reportType: 'publicCreditReport' },
        ...overrides,
      };
      return { jws: await signDocument(doc, { kid, privateKey }), doc };
    },
    anchor(jws, doc) {
      view.documents.set(`qingdao|${doc.id}`, {
        anchor: {
          blockNumber: 42,
          city: 'qingdao',
          id: doc.id,
          docType: doc.type,
          subjectPseudonym: doc.subject.pseudonym,
          contentHash: documentHash(jws),
          issuedAt: doc.issuedAt,
          validUntil: doc.validUntil,
          kid,
          status: 'active',
          anchoredAt: '2026-11-26T08:00:02.000Z',
          txId: 'tx-anchor',
        },
      });
    },
  };
}

const byName = (verdict: { checks: Array<{ check: string; state: string; ok: boolean; detail: string }> }, name: string) => {
  const check = verdict.checks.find((c) => c.check === name);
  assert.ok(check, `no ${name} check`);
  return check;
};

describe('Verifier', () => {
  it('passes every check of a single-anchored document, in the documented order', async () => {
    const f = await fixture();
    const { jws, doc } = await f.issue();
    f.anchor(jws, doc);
    f.view.recognitions = { recognised: true, basis: 'agreement', agreementId: 'agr-1' };
    const verdict = await f.verifier().verify({ jws });
    assert.deepEqual(
      verdict.checks.map((c) => c.check),
      ['signature', 'issuerKey', 'anchored', 'status', 'notExpired', 'recognised'],
    );
    assert.ok(
      verdict.checks.every((c) => c.ok),
      JSON.stringify(verdict.checks),
    );
    assert.equal(verdict.valid, true);
    assert.deepEqual(verdict.anchor, { mode: 'single', txId: 'tx-anchor', blockNumber: 42, anchoredAt: '2026-11-26T08:00:02.000Z' });
    assert.equal(verdict.issuer?.nameZh, '青岛');
    assert.equal(verdict.ledgerHeight, 7);
    assert.ok(verdict.checks.every((c) => c.state === 'passed'));
    assert.deepEqual(f.view.questions[0], {
      issuerCity: 'qingdao',
      documentId: doc.id,
      docType: 'creditReport',
      recognisingCity: 'yantai',
      at: '2026-11-26T10:00:00.000Z',
    });
  });

  it('fails the signature (and the anchor) of a tampered document', async () => {
    const f = await fixture();
    const { jws, doc } = await f.issue();
    f.anchor(jws, doc);
    const [h, p, s] = jws.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as CreditDocument;
    payload.content = { reportType: 'publicCreditReport', note: 'edited' };
    const { canonicalJson } = await import('@jcc/domain');
    const tampered = `${h}.${Buffer.from(canonicalJson(payload)).toString('base64url')}.${s}`;
    const verdict = await f.verifier().verify({ jws: tampered });
    assert.equal(verdict.valid, false);
    assert.equal(byName(verdict, 'signature').ok, false);
    assert.equal(byName(verdict, 'anchored').ok, false);
    assert.match(byName(verdict, 'anchored').detail, /different hash/);
  });

  it('fails signature and issuerKey when the key is not registered', async () => {
    const f = await fixture();
    f.view.keys.clear();
    const { jws, doc } = await f.issue();
    f.anchor(jws, doc);
    const verdict = await f.verifier().verify({ jws });
    assert.equal(verdict.valid, false);
    assert.equal(byName(verdict, 'issuerKey').ok, false);
    assert.match(byName(verdict, 'issuerKey').detail, /not registered/);
    assert.equal(byName(verdict, 'signature').ok, false);
    assert.equal(byName(verdict, 'signature').state, 'not-checked');
    assert.equal(byName(verdict, 'issuerKey').state, 'failed');
  });

  it('fails issuerKey for a key revoked before the issue time, not for one revoked after', async () => {
    const f = await fixture();
    const { jws, doc } = await f.issue();
    f.anchor(jws, doc);
    const key = f.view.keys.get(`qingdao|${f.kid}`) as KeyRecord;
    f.view.keys.set(`qingdao|${f.kid}`, { ...key, revokedAt: '2026-11-26T09:00:00.000Z' });
    assert.equal((await f.verifier().verify({ jws })).valid, true);
    f.view.keys.set(`qingdao|${f.kid}`, { ...key, revokedAt: '2026-11-26T07:00:00.000Z' });
    const verdict = await f.verifier().verify({ jws });
    assert.equal(byName(verdict, 'issuerKey').ok, false);
    assert.match(byName(verdict, 'issuerKey').detail, /revoked/);
  });

  it('fails issuerKey for a gateway key used to sign a document', async () => {
    const f = await fixture();
    const key = f.view.keys.get(`qingdao|${f.kid}`) as KeyRecord;
    f.view.keys.set(`qingdao|${f.kid}`, { ...key, use: 'gateway' });
    const { jws, doc } = await f.issue();
    f.anchor(jws, doc);
    assert.match(byName(await f.verifier().verify({ jws }), 'issuerKey').detail, /gateway use/);
  });

  it('fails status for a revoked and a superseded document, saying so, with the reason where the issuing gateway keeps it', async () => {
    const f = await fixture();
    const { jws, doc } = await f.issue();
    f.anchor(jws, doc);
    const state = f.view.documents.get(`qingdao|${doc.id}`) as DocumentFacts;
    const reasonHash = 'a'.repeat(64);
    state.status = { city: 'qingdao', id: doc.id, status: 'revoked', reasonHash, at: '2026-11-26T09:00:00.000Z', txId: 'tx-r' };
    let verdict = await f.verifier().verify({ jws });
    assert.equal(verdict.valid, false);
    assert.match(byName(verdict, 'status').detail, /revoked .*the reason is kept by Qingdao's gateway/);
    const atIssuer = new Verifier({
      city: 'qingdao',
      view: f.view,
      clock: () => NOW,
      findStatusReason: async (status) => (status.reasonHash === reasonHash ? 'issued in error' : undefined),
    });
    verdict = await atIssuer.verify({ jws });
    assert.match(byName(verdict, 'status').detail, /revoked .*: issued in error$/);
    state.status = { ...state.status, status: 'superseded', replacementId: 'qingdao-cr-2' };
    verdict = await f.verifier().verify({ jws });
    assert.match(byName(verdict, 'status').detail, /superseded by qingdao-cr-2/);
  });

  it('fails notExpired after validUntil', async () => {
    const f = await fixture();
    const { jws, doc } = await f.issue({ validUntil: '2026-11-26T09:00:00.000Z' });
    f.anchor(jws, doc);
    const verdict = await f.verifier().verify({ jws });
    assert.equal(verdict.valid, false);
    assert.deepEqual(
      verdict.checks.filter((c) => !c.ok).map((c) => c.check),
      ['notExpired', 'recognised'],
    );
    assert.match(byName(verdict, 'notExpired').detail, /expired at 2026-11-26T09:00:00.000Z/);
  });

  it('keeps a document valid when the verifying city has not recognised it; the issuing city recognises its own', async () => {
    const f = await fixture();
    const { jws, doc } = await f.issue();
    f.anchor(jws, doc);
    const elsewhere = await f.verifier('weihai').verify({ jws });
    assert.equal(elsewhere.valid, true);
    assert.equal(byName(elsewhere, 'recognised').ok, false);
    const home = await f.verifier('qingdao').verify({ jws });
    assert.equal(byName(home, 'recognised').ok, true);
  });

  it('answers a malformed JWS with a failed signature check instead of throwing', async () => {
    const f = await fixture();
    const verdict = await f.verifier().verify({ jws: 'abc.def' });
    assert.equal(verdict.valid, false);
    assert.match(byName(verdict, 'signature').detail, /malformed/);
    assert.equal(verdict.document, null);
    assert.deepEqual(
      verdict.checks.map((c) => c.state),
      ['failed', 'not-checked', 'not-checked', 'not-checked', 'not-checked', 'not-checked'],
    );
  });

  describe('batch-anchored documents', () => {
    async function batchFixture() {
      const f = await fixture();
      const docs = await Promise.all([0, 1, 2, 3, 4].map(() => f.issue()));
      const tree = new MerkleBatch(docs.map((d) => Buffer.from(documentHash(d.jws), 'hex')));
      const batchId = batchIdFor('qingdao', tree.rootHex);
      f.view.batches.set(`qingdao|${batchId}`, {
        city: 'qingdao',
        batchId,
        root: tree.rootHex,
        leafCount: 5,
        leafScheme: 'rfc9162-sha256/v1',
        firstIssuedAt: '2026-11-26T08:00:00.000Z',
        lastIssuedAt: '2026-11-26T08:00:00.000Z',
        anchoredAt: '2026-11-26T08:00:03.000Z',
        txId: 'tx-batch',
        blockNumber: 50,
      });
      return { f, docs, tree, batchId };
    }

    it('verifies with the proof bundle, recomputing the root', async () => {
      const { f, docs, tree, batchId } = await batchFixture();
      const verdict = await f
        .verifier()
        .verify({ jws: docs[3]!.jws, proof: { ...tree.proof(3), batchId, txId: 'tx-batch', blockNumber: 50 } });
      assert.equal(verdict.valid, true, JSON.stringify(verdict.checks));
      assert.equal(verdict.anchor.mode, 'batch');
      assert.equal(verdict.anchor.batchId, batchId);
      assert.equal(verdict.anchor.blockNumber, 50);
    });

    it("finds the batch by the gateways' naming when the proof names none", async () => {
      const { f, docs, tree } = await batchFixture();
      const verdict = await f.verifier().verify({ jws: docs[0]!.jws, proof: tree.proof(0) });
      assert.equal(byName(verdict, 'anchored').ok, true);
    });

    it('refuses a proof of another leaf and a proof to a root that is not anchored', async () => {
      const { f, docs, tree } = await batchFixture();
      const wrongLeaf = await f.verifier().verify({ jws: docs[1]!.jws, proof: tree.proof(2) });
      assert.equal(byName(wrongLeaf, 'anchored').ok, false);
      const other = new MerkleBatch([Buffer.from(documentHash(docs[1]!.jws), 'hex')]);
      const unanchored = await f.verifier().verify({ jws: docs[1]!.jws, proof: other.proof(0) });
      assert.match(byName(unanchored, 'anchored').detail, /no batch/);
    });

    it('says a batch-anchored document needs its proof', async () => {
      const { f, docs } = await batchFixture();
      const verdict = await f.verifier().verify({ jws: docs[0]!.jws });
      assert.match(byName(verdict, 'anchored').detail, /proof bundle/);
    });

    it('uses a proof the lookup finds when none is sent', async () => {
      const { f, docs, tree } = await batchFixture();
      const verifier = new Verifier({ city: 'yantai', view: f.view, clock: () => NOW, findProof: async () => tree.proof(4) });
      assert.equal((await verifier.verify({ jws: docs[4]!.jws })).valid, true);
    });
  });
});
