import assert from 'node:assert/strict';
import { CompactSign, base64url, generateKeyPair, exportJWK } from 'jose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DOCUMENT_SCHEMA,
  canonicalJson,
  canonicalJsonBytes,
  sha256Hex,
  sm3Hex,
  subjectPseudonym,
  verifySignatureWith,
  type CreditDocument,
} from '@jcc/domain';
import { KeyStore } from '../keys/keystore.js';
import {
  DocumentFormatError,
  decodeDocumentJws,
  documentHash,
  documentHashSm3,
  signDocument,
  signDocumentBytes,
  signDocumentWithSuite,
  verifyDocumentSignature,
} from './document-jws.js';

async function keyPair() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'qingdao.document.k1' } };
}

function sampleDocument(): CreditDocument {
  return {
    schema: DOCUMENT_SCHEMA,
    id: 'qingdao-cr-20261126-abc',
    type: 'creditReport',
    issuer: { city: 'qingdao', mspId: 'QingdaoMSP' },
    subject: {
      kind: 'enterprise',
      uscc: '91350100M000100Y43',
      pseudonym: subjectPseudonym('s'.repeat(32), { kind: 'enterprise', uscc: '91350100M000100Y43' }),
    },
    issuedAt: '2026-11-26T08:00:00.000Z',
    validUntil: '2027-11-26T08:00:00.000Z',
    content: { reportType: 'publicCreditReport', findings: ['无严重失信记录'] },
  };
}

describe('document JWS', () => {
  it('signs the canonical JSON with the documented header and verifies', async () => {
    const { privateKey, jwk } = await keyPair();
    const doc = sampleDocument();
    const jws = await signDocument(doc, { kid: jwk.kid, privateKey });
    const [h, p] = jws.split('.');
    assert.deepEqual(JSON.parse(new TextDecoder().decode(base64url.decode(h as string))), {
      alg: 'EdDSA',
      kid: jwk.kid,
      typ: 'jcc-document+jws',
    });
    assert.equal(new TextDecoder().decode(base64url.decode(p as string)), canonicalJson(doc));
    const decoded = decodeDocumentJws(jws);
    assert.deepEqual(decoded.document, doc);
    assert.equal(await verifyDocumentSignature(jws, 'EdDSA', jwk), true);
  });

  it('node:crypto signing gives byte for byte the compact JWS jose gives for the same header, payload and key', async () => {
    const { privateKey, jwk } = await keyPair();
    const docs = [
      sampleDocument(),
      {
        ...sampleDocument(),
        id: 'qingdao-cr-20261126-xyz',
        content: { reportType: 'r', note: '胶东半岛信用链 \u2028 "quoted" \\', n: 1e21 },
      },
      { ...sampleDocument(), content: { reportType: 'x'.repeat(5000), nested: { a: [1, 2, { b: null }] } } },
    ];
    for (const doc of docs) {
      const ours = await signDocument(doc, { kid: jwk.kid, privateKey });
      const theirs = await new CompactSign(canonicalJsonBytes(doc))
        .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid, typ: 'jcc-document+jws' })
        .sign(privateKey);
      assert.equal(ours, theirs);
      assert.equal(signDocumentBytes(canonicalJsonBytes(doc), { kid: jwk.kid, privateKey }), theirs);
    }
  });

  it('hashes the ASCII bytes of the compact JWS', async () => {
    const { privateKey, jwk } = await keyPair();
    const jws = await signDocument(sampleDocument(), { kid: jwk.kid, privateKey });
    assert.equal(documentHash(jws), sha256Hex(Buffer.from(jws, 'ascii')));
  });

  it('detects an altered payload and a foreign key', async () => {
    const { privateKey, jwk } = await keyPair();
    const other = await keyPair();
    const jws = await signDocument(sampleDocument(), { kid: jwk.kid, privateKey });
    const [h, , s] = jws.split('.');
    const altered = { ...sampleDocument(), validUntil: '2099-01-01T00:00:00.000Z' };
    const tampered = `${h}.${base64url.encode(canonicalJson(altered))}.${s}`;
    assert.equal(await verifyDocumentSignature(tampered, 'EdDSA', jwk), false);
    assert.equal(await verifyDocumentSignature(jws, 'EdDSA', other.jwk), false);
  });

  it('refuses malformed input, naming the rule', async () => {
    const { privateKey, jwk } = await keyPair();
    const sign = async (header: Record<string, unknown>, payload: string) =>
      new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header as never).sign(privateKey);
    const doc = sampleDocument();
    const cases: Array<[string, RegExp]> = [
      ['not a jws', /compact JWS/],
      [await sign({ alg: 'EdDSA', kid: jwk.kid, typ: 'JWT' }, canonicalJson(doc)), /typ/],
      [await sign({ alg: 'EdDSA', kid: jwk.kid, typ: 'jcc-document+jws', jwk }, canonicalJson(doc)), /member "jwk"/],
      [await sign({ alg: 'EdDSA', typ: 'jcc-document+jws' }, canonicalJson(doc)), /kid/],
      [await sign({ alg: 'EdDSA', kid: jwk.kid, typ: 'jcc-document+jws' }, JSON.stringify(doc, null, 1)), /canonical/],
      [await sign({ alg: 'EdDSA', kid: jwk.kid, typ: 'jcc-document+jws' }, canonicalJson({ ...doc, extra: 1 })), /not a credit document/],
      [`${base64url.encode('{"alg":"none","kid":"x","typ":"jcc-document+jws"}')}.${base64url.encode(canonicalJson(doc))}.AA`, /alg "none"/],
    ];
    for (const [jws, reason] of cases) {
      assert.throws(
        () => decodeDocumentJws(jws),
        (err: unknown) => err instanceof DocumentFormatError && reason.test(err.message),
        String(reason),
      );
    }
  });
});

describe('documents signed with the national algorithms (JWS JSON serialization)', () => {
  let dir: string;
  let keys: KeyStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jcc-sm2doc-'));
    keys = await KeyStore.open(dir, 'weihai', Date.now, { sm2: true });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('ed25519+sm2: two signatures, EdDSA then SM2SM3, each verifying under its registered key; one tampered fails by name', async () => {
    const ed = keys.current('document');
    const sm2 = keys.currentSm2()!;
    const text = await signDocumentWithSuite(sampleDocument(), 'ed25519+sm2', { ed25519: ed, sm2 });
    const decoded = decodeDocumentJws(text);
    assert.deepEqual(decoded.document, sampleDocument());
    assert.deepEqual(
      decoded.signatures.map((s) => s.header),
      [
        { alg: 'EdDSA', kid: ed.kid, typ: 'jcc-document+jws' },
        { alg: 'SM2SM3', kid: sm2.kid, typ: 'jcc-document+jws' },
      ],
    );
    const jwkOf = (kid: string) => (kid === ed.kid ? ed.publicJwk : sm2.publicJwk) as unknown as Record<string, unknown>;
    assert.deepEqual(
      decoded.signatures.map((s) => verifySignatureWith(s, jwkOf(s.header.kid))),
      [true, true],
    );
    assert.equal(documentHash(text), sha256Hex(text));
    assert.equal(documentHashSm3(text), sm3Hex(text));
    // Tamper with the SM2 signature only: the EdDSA check still passes, the SM2SM3 one fails.
    const jws = JSON.parse(text) as { payload: string; signatures: Array<{ protected: string; signature: string }> };
    const sig = Buffer.from(jws.signatures[1]!.signature, 'base64url');
    sig.writeUInt8(sig.readUInt8(8) ^ 1, 8);
    jws.signatures[1]!.signature = sig.toString('base64url');
    const tampered = decodeDocumentJws(canonicalJson(jws));
    assert.deepEqual(
      tampered.signatures.map((s) => [s.header.alg, verifySignatureWith(s, jwkOf(s.header.kid))]),
      [
        ['EdDSA', true],
        ['SM2SM3', false],
      ],
    );
  });

  it('sm2: the SM2SM3 signature alone; ed25519 stays the compact JWS it always was', async () => {
    const sm2 = keys.currentSm2()!;
    const text = await signDocumentWithSuite(sampleDocument(), 'sm2', { sm2 });
    const decoded = decodeDocumentJws(text);
    assert.deepEqual(
      decoded.signatures.map((s) => s.header.alg),
      ['SM2SM3'],
    );
    assert.equal(verifySignatureWith(decoded.signatures[0]!, sm2.publicJwk as unknown as Record<string, unknown>), true);
    const compact = await signDocumentWithSuite(sampleDocument(), 'ed25519', { ed25519: keys.current('document') });
    assert.equal(decodeDocumentJws(compact).header.alg, 'EdDSA');
    await assert.rejects(signDocumentWithSuite(sampleDocument(), 'ed25519+sm2', { ed25519: keys.current('document') }), /needs an SM2/);
  });

  it('refuses a JSON-serialized document with an unknown header member, a repeated kid or another typ', async () => {
    const sm2 = keys.currentSm2()!;
    const text = await signDocumentWithSuite(sampleDocument(), 'sm2', { sm2 });
    const jws = JSON.parse(text) as { payload: string; signatures: Array<{ protected: string; signature: string }> };
    const withHeader = (header: object) => ({
      ...jws,
      signatures: [{ ...jws.signatures[0]!, protected: Buffer.from(canonicalJson(header)).toString('base64url') }],
    });
    const bad: Array<[unknown, RegExp]> = [
      [withHeader({ alg: 'SM2SM3', kid: 'k', typ: 'jcc-document+jws', x5c: [] }), /member "x5c"/],
      [withHeader({ alg: 'EdDSA', kid: 'k', typ: 'jcc-document+jws', sm2id: 'a' }), /member "sm2id"/],
      [withHeader({ alg: 'SM2SM3', kid: 'k', typ: 'JWT' }), /typ must be/],
      [withHeader({ alg: 'none', kid: 'k', typ: 'jcc-document+jws' }), /alg "none" is not allowed/],
      [{ ...jws, signatures: [jws.signatures[0], jws.signatures[0]] }, /signs twice/],
    ];
    for (const [value, message] of bad)
      assert.throws(
        () => decodeDocumentJws(canonicalJson(value)),
        (e: Error) => e instanceof DocumentFormatError && message.test(e.message),
      );
  });
});
