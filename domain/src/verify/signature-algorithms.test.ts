import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonicalJson.js';
import { DOCUMENT_JWS_TYPE, DOCUMENT_SCHEMA, type CreditDocument } from '../document.js';
import { decodeDocumentJws, DocumentFormatError, verifyDocumentSignature } from './document-jws.js';
import { registerSignatureAlgorithm, signatureAlgorithm } from './signature-algorithms.js';

const doc: CreditDocument = {
  schema: DOCUMENT_SCHEMA,
  id: 'qingdao-cr-1',
  type: 'creditReport',
  issuer: { city: 'qingdao', mspId: 'QingdaoMSP' },
  subject: { kind: 'enterprise', uscc: '91350100M000100Y43', pseudonym: `ps1-${'a'.repeat(64)}` },
  issuedAt: '2026-11-26T08:00:00.000Z',
  validUntil: '2027-11-26T08:00:00.000Z',
  content: {},
};

const b64 = (text: string) => Buffer.from(text).toString('base64url');

function jwsWith(alg: string, signer: (input: Buffer) => Buffer): string {
  const input = `${b64(JSON.stringify({ alg, kid: 'k1', typ: DOCUMENT_JWS_TYPE }))}.${b64(canonicalJson(doc))}`;
  return `${input}.${signer(Buffer.from(input, 'ascii')).toString('base64url')}`;
}

function jwkOf(key: KeyObject): Record<string, unknown> {
  return { ...key.export({ format: 'jwk' }), kid: 'k1' };
}

describe('signature algorithms (by JWS alg)', () => {
  it('verifies EdDSA (Ed25519) and ES256 (P-256, JOSE r||s encoding), and refuses another key', () => {
    const ed = generateKeyPairSync('ed25519');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const edJws = jwsWith('EdDSA', (input) => sign(null, input, ed.privateKey));
    const ecJws = jwsWith('ES256', (input) => sign('sha256', input, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }));
    assert.equal(verifyDocumentSignature(edJws, jwkOf(ed.publicKey)), true);
    assert.equal(verifyDocumentSignature(ecJws, jwkOf(ec.publicKey)), true);
    assert.equal(verifyDocumentSignature(edJws, jwkOf(generateKeyPairSync('ed25519').publicKey)), false);
    assert.equal(verifyDocumentSignature(edJws, jwkOf(ec.publicKey)), false, 'a P-256 key does not suit EdDSA');
  });

  it('accepts an alg only once an algorithm is registered for it', () => {
    const jws = jwsWith('X-TEST-HMAC', (input) => Buffer.from(input).subarray(0, 8));
    assert.throws(() => decodeDocumentJws(jws), DocumentFormatError);
    registerSignatureAlgorithm({
      alg: 'X-TEST-HMAC',
      suits: (jwk) => jwk.kty === 'oct',
      verify: (input, signature) => Buffer.compare(Buffer.from(input).subarray(0, 8), Buffer.from(signature)) === 0,
    });
    assert.ok(signatureAlgorithm('X-TEST-HMAC'));
    assert.equal(decodeDocumentJws(jws).header.alg, 'X-TEST-HMAC');
    assert.equal(verifyDocumentSignature(jws, { kty: 'oct' }), true);
  });
});
