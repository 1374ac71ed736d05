/**
 * Writes the conformance vectors (vectors/*.json): `npx tsx test/conformance/generate.ts`.
 *
 * The documents are signed with two FIXED, PUBLICLY KNOWN, TEST-ONLY Ed25519
 * keys derived from the seeds below. They are no secret of any deployment and
 * must never be registered on a ledger that matters: the conformance tests
 * register them for Rizhao on the local test network only. Ed25519 signatures
 * are deterministic, so running this script again writes the same files for
 * them. The SM2 vectors use a FIXED, PUBLICLY KNOWN, TEST-ONLY SM2 key (its
 * scalar derived from a seed phrase below, under the same rules); SM2
 * signatures draw a random nonce, so a new run writes other SM2 signature
 * bytes (and hashes) with the same expected verdicts.
 *
 * The expected verdicts are written here, by hand, per vector; the tests check
 * the core and every door against them.
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHECK_NAMES,
  DOCUMENT_JWS_TYPE,
  SM2_CURVE,
  canonicalJsonBytes,
  documentHashSm3,
  signGeneralJws,
  sm2PrivateJwkFromScalar,
  sm2PublicJwk,
  sm2Sm3Signer,
  type JwsSigner,
  type Sm2PrivateJwk,
  DOCUMENT_SCHEMA,
  LEAF_SCHEME,
  LEAF_SCHEME_SM3,
  MerkleBatch,
  batchIdFor,
  canonicalJson,
  cityById,
  sha256Hex,
  usccCheckCharacter,
  type CheckName,
  type CheckState,
  type CreditDocument,
  type PublicJwk,
  type ProofBundle,
} from '@jcc/domain';
import {
  VECTORS_DIR,
  type ConformanceVector,
  type ExpectedCheck,
  type VectorAnchor,
  type VectorKey,
  type VectorLedger,
  type VectorRecognition,
} from './vector.js';

/** TEST-ONLY key seeds (public on purpose). */
const TEST_ONLY_SEEDS = {
  old: 'jcc conformance TEST-ONLY Ed25519 key "old" - not a secret, never use outside tests',
  current: 'jcc conformance TEST-ONLY Ed25519 key "current" - not a secret, never use outside tests',
  sm2: 'jcc conformance TEST-ONLY SM2 key "sm2" - not a secret, never use outside tests',
} as const;

const ISSUER = 'rizhao' as const;
const VERIFIER = 'weihai' as const;
const NOW = '2026-11-15T00:00:00.000Z';
const FAR = '2099-01-01T00:00:00.000Z';

interface TestKey {
  kid: string;
  privateKey: KeyObject;
  jwk: PublicJwk;
}

/** An Ed25519 key from a seed phrase: the 32-byte seed is SHA-256 of the phrase (PKCS#8 wrapping per RFC 8410). */
function testKey(kid: string, phrase: string): TestKey {
  const seed = createHash('sha256').update(phrase).digest();
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const { kty, crv, x } = createPublicKey(privateKey).export({ format: 'jwk' });
  return { kid, privateKey, jwk: { kty, crv, x, kid } as PublicJwk };
}

const oldKey = testKey('rizhao.conformance-test-only.old', TEST_ONLY_SEEDS.old);
const currentKey = testKey('rizhao.conformance-test-only.current', TEST_ONLY_SEEDS.current);

/** The TEST-ONLY SM2 key: d = (SHA-256(phrase) mod (n - 2)) + 1. */
function testSm2Key(kid: string, phrase: string): { kid: string; privateJwk: Sm2PrivateJwk; jwk: PublicJwk } {
  const seed = BigInt(`0x${createHash('sha256').update(phrase).digest('hex')}`);
  const privateJwk = sm2PrivateJwkFromScalar((seed % (SM2_CURVE.n - 2n)) + 1n);
  return { kid, privateJwk, jwk: { ...sm2PublicJwk(privateJwk), kid, alg: 'SM2SM3' } as PublicJwk };
}

const sm2Key = testSm2Key('rizhao.conformance-test-only.sm2', TEST_ONLY_SEEDS.sm2);

/** The keys on the ledger in every vector: "old" rotated out (validTo set), "current" since then. */
const KEYS: VectorKey[] = [
  { city: ISSUER, use: 'document', jwk: oldKey.jwk, validFrom: '2026-01-01T00:00:00.000Z', validTo: '2026-04-01T00:00:00.000Z' },
  { city: ISSUER, use: 'document', jwk: currentKey.jwk, validFrom: '2026-04-01T00:00:00.000Z' },
];

/** The keys of the SM2 vectors: those of every vector and the SM2 document key. */
const SM2_KEYS: VectorKey[] = [...KEYS, { city: ISSUER, use: 'document', jwk: sm2Key.jwk, validFrom: '2026-04-01T00:00:00.000Z' }];

const body = '91371100CNF000001';
const USCC = body + usccCheckCharacter(body);
const PSEUDONYM = `ps1-${sha256Hex('jcc conformance test subject (not a real pseudonym)')}`;

function document(id: string, overrides: Partial<CreditDocument> = {}): CreditDocument {
  return {
    schema: DOCUMENT_SCHEMA,
    id,
    type: 'creditReport',
    issuer: { city: ISSUER, mspId: cityById(ISSUER).mspId },
    subject: { kind: 'enterprise', uscc: USCC, pseudonym: PSEUDONYM },
    issuedAt: '2026-05-01T00:00:00.000Z',
    validUntil: FAR,
    content: { reportType: 'publicCreditReport', findings: ['conformance vector: not a real report'] },
    ...overrides,
  };
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** A compact JWS over exactly these header and payload texts. */
function signTexts(headerText: string, payloadText: string, key: TestKey): string {
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  return `${input}.${sign(null, Buffer.from(input, 'ascii'), key.privateKey).toString('base64url')}`;
}

/** A document signed as the gateways sign: canonical payload, header {alg, kid, typ}. */
function signed(doc: CreditDocument, key: TestKey, kid = key.kid): string {
  return signTexts(JSON.stringify({ alg: 'EdDSA', kid, typ: DOCUMENT_JWS_TYPE }), canonicalJson(doc), key);
}

/** The single anchor of a signed document, as the gateways anchor it. */
function anchorOf(doc: CreditDocument, jws: string, kid: string, overrides: Partial<VectorAnchor> = {}): VectorAnchor {
  return {
    city: ISSUER,
    id: doc.id,
    docType: doc.type,
    subjectPseudonym: doc.subject.pseudonym,
    contentHash: sha256Hex(jws),
    issuedAt: doc.issuedAt,
    validUntil: doc.validUntil,
    kid,
    ...overrides,
  };
}

function recognition(id: string, decision: 'accepted' | 'rejected' = 'accepted', batchId?: string): VectorRecognition {
  return {
    recognisingCity: VERIFIER,
    issuerCity: ISSUER,
    documentId: id,
    decision,
    reason: 'conformance vector',
    ...(batchId ? { batchId } : {}),
  };
}

type Outline = Partial<Record<CheckName, [CheckState, string]>>;

const VALID: Record<CheckName, [CheckState, string]> = {
  signature: ['passed', 'verified'],
  issuerKey: ['passed', 'registered'],
  anchored: ['passed', 'single'],
  status: ['passed', 'in-force'],
  notExpired: ['passed', 'in-force'],
  recognised: ['passed', 'record-accepted'],
};

const UNREADABLE: Record<CheckName, [CheckState, string]> = {
  signature: ['failed', 'malformed'],
  issuerKey: ['not-checked', 'unreadable'],
  anchored: ['not-checked', 'unreadable'],
  status: ['not-checked', 'unreadable'],
  notExpired: ['not-checked', 'unreadable'],
  recognised: ['not-checked', 'unreadable'],
};

function expected(outline: Outline, base = VALID): ConformanceVector['expected'] {
  const checks: ExpectedCheck[] = CHECK_NAMES.map((check) => {
    const [state, reason] = outline[check] ?? base[check];
    return { check, state, reason };
  });
  const validity = checks.filter((c) => c.check !== 'recognised');
  return { valid: validity.every((c) => c.state === 'passed'), checks };
}

function ledger(parts: Partial<VectorLedger>): VectorLedger {
  return { keys: KEYS, anchors: [], batches: [], statuses: [], recognitions: [], ...parts };
}

const vectors: ConformanceVector[] = [];
function vector(
  name: string,
  description: string,
  bundle: ConformanceVector['bundle'],
  facts: Partial<VectorLedger>,
  outline: Outline,
  base = VALID,
  signatures?: SignatureOutline[],
): void {
  const want = expected(outline, base);
  if (signatures) want.signatures = signatures;
  vectors.push({ name, description, verifyingCity: VERIFIER, now: NOW, bundle, ledger: ledger(facts), expected: want });
}

type SignatureOutline = NonNullable<ConformanceVector['expected']['signatures']>[number];

/** A document in the JWS JSON serialization, signed as an SM2-configured gateway signs: EdDSA (unless `sm2Only`) then SM2SM3. */
async function signedJson(doc: CreditDocument, options: { sm2Only?: boolean; sm2Kid?: string } = {}): Promise<string> {
  const signers: JwsSigner[] = [];
  if (!options.sm2Only)
    signers.push({
      header: { alg: 'EdDSA', kid: currentKey.kid, typ: DOCUMENT_JWS_TYPE },
      sign: (input) => sign(null, input, currentKey.privateKey),
    });
  signers.push(sm2Sm3Signer({ kid: options.sm2Kid ?? sm2Key.kid, typ: DOCUMENT_JWS_TYPE }, sm2Key.privateJwk));
  return signGeneralJws(canonicalJsonBytes(doc), signers);
}

/** A single-anchored document with a recognition record, the common case. */
function singleCase(id: string, overrides: Partial<CreditDocument> = {}, key = currentKey) {
  const doc = document(id, overrides);
  const jws = signed(doc, key);
  return { doc, jws, anchor: anchorOf(doc, jws, key.kid), recognition: recognition(id) };
}

// ---- valid
{
  const c = singleCase('conf-valid-single');
  vector(
    'valid-single',
    'a single-anchored document, recognised by the verifying city (record)',
    { jws: c.jws },
    { anchors: [c.anchor], recognitions: [c.recognition] },
    {},
  );

  const n = singleCase('conf-valid-not-recognised');
  const rejected = recognition(n.doc.id, 'rejected');
  vector(
    'valid-not-recognised',
    'valid, but the verifying city recorded that it does not recognise it: recognised fails, valid stays true',
    { jws: n.jws },
    { anchors: [n.anchor], recognitions: [rejected] },
    { recognised: ['failed', 'record-rejected'] },
  );

  const r = singleCase('conf-valid-rotated-key', { issuedAt: '2026-02-01T00:00:00.000Z' }, oldKey);
  vector(
    'valid-rotated-key',
    'signed with the old key before its validTo (the key was rotated since): still valid',
    { jws: r.jws },
    { anchors: [r.anchor], recognitions: [r.recognition] },
    {},
  );

  const docs = [
    document('conf-valid-batch-a', { issuedAt: '2026-05-02T00:00:00.000Z' }),
    document('conf-valid-batch-b', { issuedAt: '2026-05-03T00:00:00.000Z' }),
    document('conf-valid-batch-c', { issuedAt: '2026-05-04T00:00:00.000Z' }),
  ];
  const jwss = docs.map((d) => signed(d, currentKey));
  const tree = new MerkleBatch(jwss.map((j) => Buffer.from(sha256Hex(j), 'hex')));
  const batch = {
    city: ISSUER,
    batchId: batchIdFor(ISSUER, tree.rootHex),
    root: tree.rootHex,
    leafCount: docs.length,
    leafScheme: LEAF_SCHEME,
    firstIssuedAt: '2026-05-02T00:00:00.000Z',
    lastIssuedAt: '2026-05-04T00:00:00.000Z',
  };
  vector(
    'valid-batch',
    'leaf 1 of a Merkle batch of 3, with its proof bundle',
    { jws: jwss[1] as string, proof: { ...tree.proof(1), batchId: batch.batchId } },
    { batches: [batch], recognitions: [recognition('conf-valid-batch-b', 'accepted', batch.batchId)] },
    { anchored: ['passed', 'batch'] },
  );

  // the same batch: a document outside the batch's [firstIssuedAt, lastIssuedAt]
  const outside = document('conf-batch-outside-range', { issuedAt: '2026-05-10T00:00:00.000Z' });
  const outsideJws = signed(outside, currentKey);
  const one = new MerkleBatch([Buffer.from(sha256Hex(outsideJws), 'hex')]);
  const narrow = {
    city: ISSUER,
    batchId: batchIdFor(ISSUER, one.rootHex),
    root: one.rootHex,
    leafCount: 1,
    leafScheme: LEAF_SCHEME,
    firstIssuedAt: '2026-05-11T00:00:00.000Z',
    lastIssuedAt: '2026-05-12T00:00:00.000Z',
  };
  vector(
    'batch-outside-range',
    "a batch document whose issuedAt lies outside the anchored batch's [firstIssuedAt, lastIssuedAt]",
    { jws: outsideJws, proof: { ...one.proof(0), batchId: narrow.batchId } },
    { batches: [narrow], recognitions: [recognition(outside.id, 'accepted', narrow.batchId)] },
    { anchored: ['failed', 'outside-batch-range'] },
  );

  // ---- the signature
  const [h, p, s] = c.jws.split('.') as [string, string, string];
  const sig = Buffer.from(s, 'base64url');
  sig[0] = (sig[0] as number) ^ 0x01;
  vector(
    'tampered-signature',
    'the signature of valid-single with one bit flipped (its hash is no longer the anchored one)',
    { jws: `${h}.${p}.${sig.toString('base64url')}` },
    { anchors: [c.anchor], recognitions: [c.recognition] },
    { signature: ['failed', 'mismatch'], anchored: ['failed', 'hash-differs'] },
  );

  const u = document('conf-unknown-kid');
  vector(
    'unknown-kid',
    'signed under a kid the issuing city never registered',
    { jws: signed(u, currentKey, 'rizhao.conformance-test-only.unknown') },
    // Not on the ledger, so no city can record a recognition of it.
    {},
    {
      signature: ['not-checked', 'no-key'],
      issuerKey: ['failed', 'not-registered'],
      anchored: ['failed', 'not-anchored'],
      recognised: ['failed', 'none'],
    },
  );

  const late = document('conf-old-key-after-rotation', { issuedAt: '2026-05-01T00:00:00.000Z' });
  vector(
    'key-expired-at-issue',
    'signed with the old key after its validTo (the chaincode refuses to anchor it, too)',
    { jws: signed(late, oldKey) },
    {},
    { issuerKey: ['failed', 'expired'], anchored: ['failed', 'not-anchored'], recognised: ['failed', 'none'] },
  );

  // ---- the form of the JWS
  const nonCanonical = document('conf-non-canonical');
  const text = JSON.stringify({ ...nonCanonical, schema: undefined, id: nonCanonical.id }).replace('{', `{"schema":"${DOCUMENT_SCHEMA}",`);
  const ncJws = signTexts(JSON.stringify({ alg: 'EdDSA', kid: currentKey.kid, typ: DOCUMENT_JWS_TYPE }), text, currentKey);
  vector(
    'payload-not-canonical',
    'the payload is the document, but not in RFC 8785 canonical form (members out of order); anchored all the same',
    { jws: ncJws },
    { anchors: [anchorOf(nonCanonical, ncJws, currentKey.kid)], recognitions: [recognition(nonCanonical.id)] },
    {},
    UNREADABLE,
  );

  const extra = document('conf-extra-header-member');
  const exJws = signTexts(
    JSON.stringify({ alg: 'EdDSA', kid: currentKey.kid, typ: DOCUMENT_JWS_TYPE, cty: 'json' }),
    canonicalJson(extra),
    currentKey,
  );
  vector(
    'header-extra-member',
    'the protected header has a member besides alg, kid and typ; anchored all the same',
    { jws: exJws },
    { anchors: [anchorOf(extra, exJws, currentKey.kid)], recognitions: [recognition(extra.id)] },
    {},
    UNREADABLE,
  );

  vector(
    'jws-trailing-newline',
    'the jws of valid-single followed by a newline: refused as it is, never trimmed',
    { jws: `${c.jws}\n` },
    { anchors: [c.anchor], recognitions: [c.recognition] },
    {},
    UNREADABLE,
  );

  // ---- times
  const f = singleCase('conf-issued-in-future', { issuedAt: '2098-01-01T00:00:00.000Z', validUntil: FAR });
  vector(
    'issued-in-future',
    'issuedAt lies in the future (beyond the tolerated clock skew)',
    { jws: f.jws },
    { anchors: [f.anchor], recognitions: [f.recognition] },
    { notExpired: ['failed', 'issued-in-future'] },
  );

  const e = singleCase('conf-expired', { validUntil: '2026-08-01T00:00:00.000Z' });
  vector(
    'expired',
    'validUntil has passed',
    { jws: e.jws },
    { anchors: [e.anchor], recognitions: [e.recognition] },
    { notExpired: ['failed', 'expired'] },
  );

  // ---- single anchors that disagree with the signed document
  for (const [name, field, value, reason] of [
    ['anchor-issuedat-differs', 'issuedAt', '2026-05-01T00:00:01.000Z', 'issuedat-differs'],
    ['anchor-validuntil-differs', 'validUntil', '2098-12-31T00:00:00.000Z', 'validuntil-differs'],
    ['anchor-doctype-differs', 'docType', 'evaluation', 'doctype-differs'],
  ] as const) {
    const d = singleCase(`conf-${name}`);
    vector(
      name,
      `the single anchor's ${field} differs from the signed document's`,
      { jws: d.jws },
      { anchors: [{ ...d.anchor, [field]: value }], recognitions: [d.recognition] },
      { anchored: ['failed', reason] },
    );
  }

  // ---- status
  const rv = singleCase('conf-revoked');
  vector(
    'revoked',
    'the issuer revoked the document',
    { jws: rv.jws },
    {
      anchors: [rv.anchor],
      statuses: [{ city: ISSUER, id: rv.doc.id, status: 'revoked', reasonHash: sha256Hex('conformance vector: issued in error') }],
      recognitions: [rv.recognition],
    },
    { status: ['failed', 'revoked'] },
  );
  const sp = singleCase('conf-superseded');
  vector(
    'superseded',
    'the issuer superseded the document by another',
    { jws: sp.jws },
    {
      anchors: [sp.anchor],
      statuses: [
        {
          city: ISSUER,
          id: sp.doc.id,
          status: 'superseded',
          reasonHash: sha256Hex('conformance vector: corrected'),
          replacementId: 'conf-valid-single',
        },
      ],
      recognitions: [sp.recognition],
    },
    { status: ['failed', 'superseded'] },
  );
}

// ---- national algorithms: documents in the JWS JSON serialization with SM2SM3 signatures
{
  const passed = (kid: string, alg: string): SignatureOutline => ({ kid, alg, state: 'passed', reason: 'verified' });

  const dual = document('conf-sm2-dual-valid');
  const dualJws = await signedJson(dual);
  const dualAnchor = anchorOf(dual, dualJws, currentKey.kid, { contentHashSm3: documentHashSm3(dualJws) });
  vector(
    'sm2-dual-valid',
    'signed twice (EdDSA, then SM2SM3), JSON serialization; the single anchor names the EdDSA kid and carries the SM3 hash',
    { jws: dualJws },
    { keys: SM2_KEYS, anchors: [dualAnchor], recognitions: [recognition(dual.id)] },
    {},
    VALID,
    [passed(currentKey.kid, 'EdDSA'), passed(sm2Key.kid, 'SM2SM3')],
  );

  const only = document('conf-sm2-only-valid');
  const onlyJws = await signedJson(only, { sm2Only: true });
  vector(
    'sm2-only-valid',
    'signed with SM2SM3 alone, JSON serialization; the single anchor names the SM2 kid and carries the SM3 hash',
    { jws: onlyJws },
    {
      keys: SM2_KEYS,
      anchors: [anchorOf(only, onlyJws, sm2Key.kid, { contentHashSm3: documentHashSm3(onlyJws) })],
      recognitions: [recognition(only.id)],
    },
    {},
    VALID,
    [passed(sm2Key.kid, 'SM2SM3')],
  );

  // one bit of s flipped in the SM2SM3 signature (the last DER byte): still a well-formed DER signature
  const parsed = JSON.parse(dualJws) as { payload: string; signatures: Array<{ protected: string; signature: string }> };
  const sm2Sig = Buffer.from(parsed.signatures[1]!.signature, 'base64url');
  sm2Sig[sm2Sig.length - 1] = (sm2Sig[sm2Sig.length - 1] as number) ^ 0x01;
  parsed.signatures[1]!.signature = sm2Sig.toString('base64url');
  vector(
    'sm2-tampered-signature',
    'sm2-dual-valid with one bit of its SM2SM3 signature flipped: the EdDSA signature verifies, the SM2SM3 one fails (and the hash is no longer the anchored one)',
    { jws: canonicalJson(parsed) },
    { keys: SM2_KEYS, anchors: [dualAnchor], recognitions: [recognition(dual.id)] },
    { signature: ['failed', 'mismatch'], anchored: ['failed', 'hash-differs'] },
    VALID,
    [passed(currentKey.kid, 'EdDSA'), { kid: sm2Key.kid, alg: 'SM2SM3', state: 'failed', reason: 'mismatch' }],
  );

  const unregistered = document('conf-sm2-key-not-registered');
  const unknownSm2 = 'rizhao.conformance-test-only.sm2-unregistered';
  const unregisteredJws = await signedJson(unregistered, { sm2Kid: unknownSm2 });
  vector(
    'sm2-key-not-registered',
    'signed twice, but the SM2SM3 signature names a kid Rizhao never registered: that signature is not checked, the key check fails',
    { jws: unregisteredJws },
    {
      keys: SM2_KEYS,
      anchors: [anchorOf(unregistered, unregisteredJws, currentKey.kid, { contentHashSm3: documentHashSm3(unregisteredJws) })],
      recognitions: [recognition(unregistered.id)],
    },
    { signature: ['not-checked', 'no-key'], issuerKey: ['failed', 'not-registered'] },
    VALID,
    [passed(currentKey.kid, 'EdDSA'), { kid: unknownSm2, alg: 'SM2SM3', state: 'not-checked', reason: 'no-key' }],
  );

  const sm3 = document('conf-sm2-anchor-sm3-differs');
  const sm3Jws = await signedJson(sm3);
  vector(
    'sm2-anchor-sm3-differs',
    'a valid dual-signed document whose single anchor carries another contentHashSm3 than the SM3 of its text',
    { jws: sm3Jws },
    {
      keys: SM2_KEYS,
      anchors: [anchorOf(sm3, sm3Jws, currentKey.kid, { contentHashSm3: 'c'.repeat(64) })],
      recognitions: [recognition(sm3.id)],
    },
    { anchored: ['failed', 'sm3-hash-differs'] },
    VALID,
    [passed(currentKey.kid, 'EdDSA'), passed(sm2Key.kid, 'SM2SM3')],
  );

  // ---- batches of SM2-signed documents: the rfc9162-sm3/v1 root anchored beside the SHA-256 one, each proof with its SM3 path
  const batchDocs = [
    document('conf-sm2-batch-a', { issuedAt: '2026-05-05T00:00:00.000Z' }),
    document('conf-sm2-batch-b', { issuedAt: '2026-05-06T00:00:00.000Z' }),
    document('conf-sm2-batch-c', { issuedAt: '2026-05-07T00:00:00.000Z' }),
  ];
  const batchJwss = await Promise.all(batchDocs.map((d) => signedJson(d)));
  const sm3Batch = sm3BatchOf(batchJwss, '2026-05-05T00:00:00.000Z', '2026-05-07T00:00:00.000Z');
  const sm3Proof = sm3Batch.proof(1);
  vector(
    'sm2-batch-valid',
    'leaf 1 of a batch of 3 dual-signed documents; the batch carries rootSm3 (rfc9162-sm3/v1) and the proof its SM3 path',
    { jws: batchJwss[1] as string, proof: sm3Proof },
    { keys: SM2_KEYS, batches: [sm3Batch.record], recognitions: [recognition('conf-sm2-batch-b', 'accepted', sm3Batch.record.batchId)] },
    { anchored: ['passed', 'batch'] },
    VALID,
    [passed(currentKey.kid, 'EdDSA'), passed(sm2Key.kid, 'SM2SM3')],
  );

  const tamperedPath = [...(sm3Proof.auditPathSm3 as string[])];
  tamperedPath[0] = `${tamperedPath[0]?.slice(0, 63)}${tamperedPath[0]?.endsWith('0') ? '1' : '0'}`;
  vector(
    'sm2-batch-sm3-path-tampered',
    'sm2-batch-valid with one hex digit of its SM3 audit path changed: the SHA-256 path still leads to root, the SM3 one no longer to rootSm3',
    { jws: batchJwss[1] as string, proof: { ...sm3Proof, auditPathSm3: tamperedPath } },
    { keys: SM2_KEYS, batches: [sm3Batch.record], recognitions: [recognition('conf-sm2-batch-b', 'accepted', sm3Batch.record.batchId)] },
    { anchored: ['failed', 'sm3-proof-invalid'] },
    VALID,
    [passed(currentKey.kid, 'EdDSA'), passed(sm2Key.kid, 'SM2SM3')],
  );

  const lone = document('conf-sm2-batch-root-sm3-differs', { issuedAt: '2026-05-08T00:00:00.000Z' });
  const loneJws = await signedJson(lone);
  const loneBatch = sm3BatchOf([loneJws], '2026-05-08T00:00:00.000Z', '2026-05-08T00:00:00.000Z');
  vector(
    'sm2-batch-root-sm3-differs',
    'a batch of one dual-signed document whose proof is consistent, but the batch on the ledger carries another rootSm3',
    { jws: loneJws, proof: loneBatch.proof(0) },
    {
      keys: SM2_KEYS,
      batches: [{ ...loneBatch.record, rootSm3: 'd'.repeat(64) }],
      recognitions: [recognition(lone.id, 'accepted', loneBatch.record.batchId)],
    },
    { anchored: ['failed', 'batch-root-sm3-differs'] },
    VALID,
    [passed(currentKey.kid, 'EdDSA'), passed(sm2Key.kid, 'SM2SM3')],
  );
}

/** A batch of JSON-serialized documents as an SM2-configured gateway anchors it: both trees, both roots, proofs with both paths. */
function sm3BatchOf(jwss: string[], firstIssuedAt: string, lastIssuedAt: string) {
  const tree = new MerkleBatch(jwss.map((j) => Buffer.from(sha256Hex(j), 'hex')));
  const treeSm3 = new MerkleBatch(
    jwss.map((j) => Buffer.from(documentHashSm3(j), 'hex')),
    LEAF_SCHEME_SM3,
  );
  const record = {
    city: ISSUER,
    batchId: batchIdFor(ISSUER, tree.rootHex),
    root: tree.rootHex,
    leafCount: jwss.length,
    leafScheme: LEAF_SCHEME,
    rootSm3: treeSm3.rootHex,
    leafSchemeSm3: LEAF_SCHEME_SM3,
    firstIssuedAt,
    lastIssuedAt,
  };
  const proof = (i: number): ProofBundle => {
    const sm3 = treeSm3.proof(i);
    return { ...tree.proof(i), batchId: record.batchId, leafHashSm3: sm3.leafHash, auditPathSm3: sm3.auditPath, rootSm3: sm3.root };
  };
  return { record, proof };
}

mkdirSync(VECTORS_DIR, { recursive: true });
for (const file of readdirSync(VECTORS_DIR)) if (file.endsWith('.json')) rmSync(join(VECTORS_DIR, file));
vectors.forEach((v, i) =>
  writeFileSync(join(VECTORS_DIR, `${String(i + 1).padStart(2, '0')}-${v.name}.json`), `${JSON.stringify(v, null, 2)}\n`),
);
console.log(`wrote ${vectors.length} vectors to ${VECTORS_DIR}`);
