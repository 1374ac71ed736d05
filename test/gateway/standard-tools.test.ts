/**
 * The promise of docs/formats.md that a regulator can verify a document with
 * standard tools and no code of ours: scripts/verify-standard-tools.sh follows
 * the document's steps with openssl, sha256sum, base64, python3 and Fabric's own
 * `peer` CLI, against documents issued through a real gateway, and against
 * documents signed with Qingdao's registered document key and anchored through
 * the real chaincode, each of which breaks exactly one rule of the recipe; and
 * against a document of a gateway configured with `JCC_SIGNATURE_SUITE=ed25519+sm2`
 * (a JWS in the JSON serialization with EdDSA and SM2SM3 signatures).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactSign } from 'jose';
import {
  DOCUMENT_JWS_TYPE,
  DOCUMENT_SCHEMA,
  LEAF_SCHEME,
  MerkleBatch,
  canonicalJson,
  sha256Hex,
  type CreditDocument,
  type InclusionProof,
} from '@jcc/domain';
import {
  call,
  dataDir,
  gateways,
  issueAnchoredAt,
  root,
  runTag,
  spawnedOperatorToken,
  spawnGateway,
  stopChild,
  testUrl,
  testUscc,
  token,
  until,
  waitReady,
} from './harness.js';
import { connectCity, submitJson, type CityConnection } from '../support/fabric.js';
import { type SigningKey } from '../../gateway/src/keys/keystore.js';

interface Outcome {
  code: number;
  out: string;
}

/** The environment of Fabric's `peer` CLI as Weihai's admin (`npm run network:env -- weihai`), read once. */
let peerEnv: Promise<NodeJS.ProcessEnv> | undefined;
function weihaiPeerEnv(): Promise<NodeJS.ProcessEnv> {
  peerEnv ??= new Promise((resolve, reject) => {
    execFile('bash', ['-c', 'eval "$(npm run --silent network:env -- weihai)" && env -0'], { cwd: root }, (err, stdout) => {
      if (err) reject(err);
      else
        resolve(
          Object.fromEntries(
            stdout
              .split('\0')
              .filter(Boolean)
              .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
          ),
        );
    });
  });
  return peerEnv;
}

async function verifyWithStandardTools(file: string): Promise<Outcome> {
  const env = await weihaiPeerEnv();
  return new Promise((resolve) => {
    execFile('bash', [join(root, 'scripts', 'verify-standard-tools.sh'), file], { cwd: root, env }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

/** The checks the script failed, as "FAIL <check>: <why>" lines. */
function failures(out: string): string[] {
  return out.split('\n').filter((line) => line.startsWith('FAIL '));
}

async function issueAnchored(anchor: 'single' | 'batch'): Promise<{ id: string; jws: string; proof?: unknown }> {
  const op = await token('qingdao', 'operator');
  return issueAnchoredAt(testUrl('qingdao'), op, { anchor, summary: `standard tools ${runTag}`, timeoutMs: 60_000 });
}

describe('verifying with standard tools only (openssl, sha256sum, python3, peer CLI)', function () {
  let dir: string;
  let files = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jcc-std-'));
  });

  /** Writes `content` to a new file and runs the script on it. */
  async function verifyContent(content: string): Promise<Outcome> {
    files += 1;
    const file = join(dir, `input-${files}${content.startsWith('{') ? '.json' : '.jws'}`);
    await writeFile(file, content);
    return verifyWithStandardTools(file);
  }

  /**
   * Runs the script until the Weihai peer has caught up with what Qingdao wrote
   * and exactly one check fails; asserts it is the expected one.
   */
  async function expectOnlyFailure(content: string, expected: RegExp): Promise<Outcome> {
    const r = await until(
      () => verifyContent(content),
      (o) => failures(o.out).length === 1 && expected.test(failures(o.out)[0] as string),
      30_000,
      `only ${String(expected)} fails`,
    ).catch(async () => verifyContent(content));
    assert.deepEqual(
      failures(r.out).map((line) => expected.test(line)),
      [true],
      r.out,
    );
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /^INVALID$/m);
    return r;
  }

  async function expectValid(content: string): Promise<Outcome> {
    const r = await until(
      () => verifyContent(content),
      (o) => o.code === 0,
      30_000,
      'VALID from the Weihai peer',
    ).catch(async () => verifyContent(content));
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^VALID$/m);
    return r;
  }

  describe('documents issued through the gateway', function () {
    it('a single-anchored document verifies from its bare JWS, with or without the final line feed of a one-line file', async function () {
      const doc = await issueAnchored('single');
      for (const content of [doc.jws, `${doc.jws}\n`]) {
        const r = await expectValid(content);
        assert.match(r.out, /ok {3}payload in RFC 8785 canonical form/);
        assert.match(r.out, /ok {3}signature/);
        assert.match(r.out, /ok {3}anchored \(single\)/);
      }
    });

    it('a batch-anchored document verifies from its bundle: the Merkle root recomputed and found on the ledger', async function () {
      const doc = await issueAnchored('batch');
      const r = await expectValid(JSON.stringify({ jws: doc.jws, proof: doc.proof }));
      assert.match(r.out, /ok {3}Merkle inclusion proof/);
      assert.match(r.out, /ok {3}anchored \(batch root on the ledger\)/);
    });

    it('a tampered document fails the signature and the anchor', async function () {
      const doc = await issueAnchored('single');
      const [h, p, s] = doc.jws.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
      payload.validUntil = '2099-01-01T00:00:00.000Z';
      const r = await verifyContent(`${h}.${Buffer.from(canonicalJson(payload)).toString('base64url')}.${s}`);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /FAIL signature/);
      assert.match(r.out, /FAIL anchored \(single\): .*content hash, validUntil/);
      assert.match(r.out, /^INVALID$/m);
    });

    it('a revoked document fails the status check', async function () {
      const doc = await issueAnchored('single');
      const op = await token('qingdao', 'operator');
      const revoked = await call('qingdao', 'POST', `/api/v1/reports/${doc.id}/revoke`, { token: op, body: { reason: 'issued in error' } });
      assert.ok(revoked.status < 300, JSON.stringify(revoked.body));
      await expectOnlyFailure(doc.jws, /^FAIL status in force: revoked$/);
    });

    it('refuses a bundle whose jws has a trailing newline, and a bare JWS with trailing whitespace', async function () {
      const doc = await issueAnchored('single');
      for (const content of [JSON.stringify({ jws: `${doc.jws}\n` }), `${doc.jws} \n`]) {
        const r = await verifyContent(content);
        assert.equal(r.code, 1, r.out);
        assert.deepEqual(failures(r.out).length, 1, r.out);
        assert.match(r.out, /FAIL jws form: the jws has leading or trailing whitespace/);
      }
    });
  });

  describe("documents signed with Qingdao's registered key and anchored through the chaincode", function () {
    let qingdao: CityConnection;
    let key: SigningKey;
    let n = 0;
    before(async () => {
      key = (await gateways()).qingdao.services.keys.current('document');
      qingdao = await connectCity('qingdao');
    });
    after(() => qingdao?.close());

    /** A valid Qingdao credit report, issued just now (and after the key became valid). */
    function document(overrides: Partial<CreditDocument> = {}): CreditDocument {
      n += 1;
      const issuedAt = new Date(Math.max(Date.now() - 2_000, Date.parse(key.createdAt) + 1)).toISOString();
      return {
        schema: DOCUMENT_SCHEMA,
        id: `qingdao-std-${runTag}-${n}`,
        type: 'creditReport',
        issuer: { city: 'qingdao', mspId: 'QingdaoMSP' },
        subject: { kind: 'enterprise', uscc: testUscc(`T${runTag}${n}`), pseudonym: `ps1-${randomBytes(32).toString('hex')}` },
        issuedAt,
        validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        content: { reportType: 'publicCreditReport', summary: `standard tools ${runTag}` },
        ...overrides,
      };
    }

    /** Signs a payload (canonical unless given as text) with Qingdao's document key. */
    function sign(payload: CreditDocument | string, extraHeader: Record<string, unknown> = {}): Promise<string> {
      const bytes = new TextEncoder().encode(typeof payload === 'string' ? payload : canonicalJson(payload));
      return new CompactSign(bytes)
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: DOCUMENT_JWS_TYPE, ...extraHeader })
        .sign(key.privateKey);
    }

    /** Anchors a signed document alone, with the anchor's fields optionally differing from the document's. */
    async function anchorAlone(jws: string, doc: CreditDocument, differ: Record<string, string> = {}): Promise<void> {
      await submitJson(qingdao.contract('reports'), 'AnchorDocument', {
        id: doc.id,
        docType: doc.type,
        subjectPseudonym: doc.subject.pseudonym,
        contentHash: sha256Hex(jws),
        issuedAt: doc.issuedAt,
        validUntil: doc.validUntil,
        kid: key.kid,
        ...differ,
      });
    }

    /** Anchors the signed documents as one batch whose issue-time range is `range` (default: theirs). */
    async function anchorBatch(jwsList: string[], range?: { firstIssuedAt: string; lastIssuedAt: string }): Promise<InclusionProof[]> {
      const batch = new MerkleBatch(jwsList.map((jws) => Buffer.from(sha256Hex(jws), 'hex')));
      const times = jwsList
        .map((jws) => JSON.parse(Buffer.from(jws.split('.')[1] as string, 'base64url').toString()).issuedAt as string)
        .sort();
      const batchId = `qingdao.batch.${batch.rootHex}`;
      await submitJson(qingdao.contract('reports'), 'AnchorBatch', {
        batchId,
        root: batch.rootHex,
        leafCount: batch.size,
        leafScheme: LEAF_SCHEME,
        firstIssuedAt: range?.firstIssuedAt ?? times[0],
        lastIssuedAt: range?.lastIssuedAt ?? times[times.length - 1],
      });
      return jwsList.map((_, i) => ({ ...batch.proof(i), batchId }));
    }

    it('a document anchored through the chaincode alone verifies (the baseline of the cases below)', async function () {
      const doc = document();
      const jws = await sign(doc);
      await anchorAlone(jws, doc);
      await expectValid(jws);
    });

    it('refuses a payload that is not in RFC 8785 canonical form', async function () {
      const doc = document();
      const jws = await sign(JSON.stringify(doc, null, 1));
      await anchorAlone(jws, doc);
      await expectOnlyFailure(jws, /^FAIL payload in RFC 8785 canonical form: /);
    });

    it('refuses a protected header with a member beyond alg, kid and typ', async function () {
      const doc = document();
      const jws = await sign(doc, { jku: 'https://example.invalid/keys' });
      await anchorAlone(jws, doc);
      await expectOnlyFailure(jws, /^FAIL protected header exactly alg, kid, typ: .*alg, jku, kid, typ/);
    });

    it('refuses a document issued in the future', async function () {
      const doc = document({ issuedAt: new Date(Date.now() + 86_400_000).toISOString() });
      const jws = await sign(doc);
      await anchorAlone(jws, doc);
      await expectOnlyFailure(jws, /^FAIL not issued in the future: issuedAt .* is later than now/);
    });

    for (const [field, differ] of [
      ['issuedAt', (d: CreditDocument) => ({ issuedAt: new Date(Date.parse(d.issuedAt) + 1_000).toISOString() })],
      ['validUntil', (d: CreditDocument) => ({ validUntil: new Date(Date.parse(d.validUntil) + 86_400_000).toISOString() })],
      ['docType', () => ({ docType: 'evaluation' })],
    ] as const) {
      it(`refuses a single anchor whose ${field} differs from the signed document's`, async function () {
        const doc = document();
        const jws = await sign(doc);
        await anchorAlone(jws, doc, differ(doc));
        await expectOnlyFailure(
          jws,
          new RegExp(`^FAIL anchored \\(single\\): the anchor of qingdao/${doc.id} differs from the document in: ${field}$`),
        );
      });
    }

    it("refuses a batch document whose issuedAt lies outside the batch's [firstIssuedAt, lastIssuedAt]", async function () {
      const docs = [document(), document()];
      const jwsList = await Promise.all(docs.map((d) => sign(d)));
      const later = Date.parse(docs[1]!.issuedAt) + 1_000;
      const proofs = await anchorBatch(jwsList, {
        firstIssuedAt: new Date(later).toISOString(),
        lastIssuedAt: new Date(later + 1_000).toISOString(),
      });
      await expectOnlyFailure(
        JSON.stringify({ jws: jwsList[0], proof: proofs[0] }),
        /^FAIL anchored \(batch root on the ledger\): issuedAt .* lies outside the batch's \[/,
      );
    });

    describe('the inclusion proof, all of RFC 9162 §2.1.3.2 (leaf 4 of a batch of 8)', function () {
      let jws: string;
      let proof: InclusionProof;
      before(async () => {
        const jwsList = await Promise.all(Array.from({ length: 8 }, () => sign(document())));
        jws = jwsList[4] as string;
        proof = (await anchorBatch(jwsList))[4] as InclusionProof;
        assert.equal(proof.auditPath.length, 3);
      });
      const bundle = (change: Partial<InclusionProof>): string => JSON.stringify({ jws, proof: { ...proof, ...change } });

      it('verifies as anchored', async function () {
        await expectValid(bundle({}));
      });

      it('refuses leafIndex ≥ treeSize (leafIndex 4 of treeSize 4 recomputes the right root with this path)', async function () {
        const r = await verifyContent(bundle({ treeSize: 4 }));
        assert.equal(r.code, 1, r.out);
        assert.match(r.out, /FAIL Merkle inclusion proof \(RFC 9162 §2\.1\.3\.2\): leafIndex 4 is not below treeSize 4/);
        assert.match(r.out, /FAIL anchored \(batch root on the ledger\): not checked/);
      });

      it('refuses an audit path one hash too long', async function () {
        const r = await verifyContent(bundle({ auditPath: [...proof.auditPath, proof.root] }));
        assert.equal(r.code, 1, r.out);
        assert.match(
          r.out,
          /FAIL Merkle inclusion proof \(RFC 9162 §2\.1\.3\.2\): the audit path is longer than a tree of 8 leaves allows/,
        );
      });

      it('refuses an audit path one hash too short', async function () {
        const r = await verifyContent(bundle({ auditPath: proof.auditPath.slice(0, -1) }));
        assert.equal(r.code, 1, r.out);
        assert.match(
          r.out,
          /FAIL Merkle inclusion proof \(RFC 9162 §2\.1\.3\.2\): the audit path is shorter than a tree of 8 leaves needs/,
        );
      });
    });
  });

  describe('a document of Qingdao signing with ed25519+sm2 (JWS JSON serialization: EdDSA, then SM2SM3)', function () {
    const port = Number(process.env.JCC_TEST_SM2_PORT ?? 18113);
    const store = join(dataDir, 'qingdao-sm2');
    const url = `http://127.0.0.1:${port}`;
    let child: ChildProcess | undefined;
    let doc: { jws: string };
    let batched: { jws: string; proof: any };

    before(async function () {
      await gateways(); // the other cities' gateways
      // Batches of exactly three, so the three batch documents issued together share one (each has an audit path).
      child = spawnGateway('qingdao', port, store, {
        JCC_SIGNATURE_SUITE: 'ed25519+sm2',
        JCC_BATCH_MAX_SIZE: '3',
        JCC_BATCH_MAX_AGE_MS: '30000',
      });
      await waitReady(url, 180_000);
      const operator = await spawnedOperatorToken('qingdao', store, { sm2: true });
      const issue = (anchor: 'single' | 'batch') =>
        issueAnchoredAt(url, operator, { anchor, summary: `standard tools sm2 ${anchor} ${runTag}`, timeoutMs: 60_000 });
      // three batch documents issued together: one batch of three
      const [single, ...batch] = await Promise.all([issue('single'), issue('batch'), issue('batch'), issue('batch')]);
      const widest = batch.reduce((a, b) => (b.proof.treeSize > a.proof.treeSize ? b : a));
      doc = { jws: single.jws };
      batched = { jws: widest.jws, proof: widest.proof };
    });

    after(async function () {
      await stopChild(child);
    });

    it('verifies at Weihai with both signatures reported, the SHA-256 and SM3 content hashes anchored', async function () {
      const jws = JSON.parse(doc.jws);
      assert.deepEqual(
        jws.signatures.map((e: any) => JSON.parse(Buffer.from(e.protected, 'base64url').toString()).alg),
        ['EdDSA', 'SM2SM3'],
      );
      const r = await expectValid(doc.jws);
      assert.match(r.out, /ok {3}JWS JSON serialization in RFC 8785 canonical form/);
      assert.match(r.out, /ok {3}signature EdDSA \(qingdao\.document\./);
      assert.match(r.out, /ok {3}signature SM2SM3 \(qingdao\.document-sm2\./);
      assert.match(r.out, /ok {3}anchored \(single\)/);
      assert.match(r.out, /content hash SM3 [0-9a-f]{64}/);
    });

    it('fails the SM2SM3 signature by name when one byte of it is changed', async function () {
      const jws = JSON.parse(doc.jws);
      const sm2 = jws.signatures[1];
      const der = Buffer.from(sm2.signature, 'base64url');
      der.writeUInt8((der.at(-1) as number) ^ 0x01, der.length - 1); // the last byte of s: still DER, no longer the signature
      sm2.signature = der.toString('base64url');
      const r = await verifyContent(canonicalJson(jws));
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /ok {3}signature EdDSA/);
      assert.match(r.out, /^FAIL signature SM2SM3 \(qingdao\.document-sm2\.[^)]+\): openssl could not verify the SM2SM3 signature$/m);
      assert.match(r.out, /FAIL anchored \(single\): .*content hash, contentHashSm3/);
      assert.match(r.out, /^INVALID$/m);
    });

    it('verifies a batch document by both trees: the SHA-256 path to root and, with openssl, the SM3 path to rootSm3', async function () {
      assert.match(batched.proof.rootSm3, /^[0-9a-f]{64}$/, JSON.stringify(batched.proof));
      const r = await verifyContent(JSON.stringify(batched));
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /ok {3}signature SM2SM3 \(qingdao\.document-sm2\./);
      assert.match(r.out, /ok {3}anchored \(batch root on the ledger\)/);
      assert.match(r.out, /ok {3}SM3 inclusion proof to rootSm3 \(rfc9162-sm3\/v1, openssl\)/);
      assert.match(r.out, /^VALID$/m);
    });

    it('fails the SM3 inclusion proof by name when its SM3 audit path is changed (the SHA-256 path still verifies)', async function () {
      const path = [...batched.proof.auditPathSm3];
      assert.ok(path.length > 0, `a batch of ${batched.proof.treeSize} has an audit path to change`);
      path[0] = `${path[0].slice(0, 63)}${path[0].endsWith('0') ? '1' : '0'}`;
      const r = await verifyContent(JSON.stringify({ ...batched, proof: { ...batched.proof, auditPathSm3: path } }));
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /ok {3}anchored \(batch root on the ledger\)/);
      assert.match(
        r.out,
        /^FAIL SM3 inclusion proof to rootSm3 \(rfc9162-sm3\/v1, openssl\): the SM3 path leads to another root than rootSm3$/m,
      );
      assert.match(r.out, /^INVALID$/m);
    });

    it('fails by name when the SM3 leaf does not belong to the document', async function () {
      const r = await verifyContent(JSON.stringify({ ...batched, proof: { ...batched.proof, leafHashSm3: 'a'.repeat(64) } }));
      assert.equal(r.code, 1, r.out);
      assert.match(
        r.out,
        /^FAIL SM3 inclusion proof to rootSm3 \(rfc9162-sm3\/v1, openssl\): leafHashSm3 is not SM3\(0x00 \|\| SM3\(jws\)\)$/m,
      );
    });
  });
});
