import assert from 'node:assert/strict';
import { CompactSign, base64url, generateKeyPair, exportJWK } from 'jose';
import { DOCUMENT_SCHEMA, canonicalJson, sha256Hex, subjectPseudonym, type CreditDocument } from '@jcc/domain';
import { DocumentFormatError, decodeDocumentJws, documentHash, signDocument, verifyDocumentSignature } from './document-jws.js';

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
