import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as edSign, verify as edVerify } from 'node:crypto';
import { canonicalJson } from '../canonicalJson.js';
import { generateSm2PrivateJwk, sm2PublicJwk } from '../crypto/sm2-key.js';
import { JwsFormatError, decodeGeneralJws, isJwsJsonSerialization, signGeneralJws, type JwsSigner } from './general-json.js';
import { SM2SM3_ALGORITHM, sm2Sm3Signer, verifySm2Sm3 } from './sm2sm3.js';

describe('JWS JSON serialization (general form) with SM2SM3', () => {
  const sm2 = generateSm2PrivateJwk();
  const ed = generateKeyPairSync('ed25519');
  const edSigner: JwsSigner = { header: { alg: 'EdDSA', kid: 'ed-1', typ: 't' }, sign: (input) => edSign(null, input, ed.privateKey) };
  const payload = Buffer.from(canonicalJson({ hello: '世界' }));

  it('carries two signatures over one payload, each verifiable on its own signing input', async () => {
    const text = await signGeneralJws(payload, [edSigner, sm2Sm3Signer({ kid: 'sm2-1', typ: 't' }, sm2)]);
    assert.equal(isJwsJsonSerialization(text), true);
    assert.equal(text, canonicalJson(JSON.parse(text)), 'written in canonical form');
    const decoded = decodeGeneralJws(text);
    assert.deepEqual(decoded.payload, payload);
    const [first, second] = decoded.signatures;
    assert.deepEqual(first?.header, { alg: 'EdDSA', kid: 'ed-1', typ: 't' });
    assert.deepEqual(second?.header, { alg: SM2SM3_ALGORITHM, kid: 'sm2-1', typ: 't' });
    const jws = JSON.parse(text) as { payload: string; signatures: Array<{ protected: string }> };
    assert.equal(second?.signingInput.toString('ascii'), `${jws.signatures[1]?.protected}.${jws.payload}`);
    assert.equal(edVerify(null, first!.signingInput, ed.publicKey, first!.signature), true);
    assert.equal(verifySm2Sm3(second!.signingInput, second!.signature, sm2PublicJwk(sm2), second!.header), true);
    // One signature's bytes do not verify on the other's signing input: each header is signed.
    assert.equal(verifySm2Sm3(first!.signingInput, second!.signature, sm2PublicJwk(sm2), second!.header), false);
  });

  it('puts a non-default distinguishing identifier in the protected header, where the verifier reads it', async () => {
    const text = await signGeneralJws(payload, [sm2Sm3Signer({ kid: 'sm2-1' }, sm2, 'weihai@jcc')]);
    const [only] = decodeGeneralJws(text).signatures;
    assert.equal(only?.header.sm2id, 'weihai@jcc');
    assert.equal(verifySm2Sm3(only!.signingInput, only!.signature, sm2, only!.header), true);
    assert.equal(verifySm2Sm3(only!.signingInput, only!.signature, sm2, { ...only!.header, sm2id: undefined }), false);
  });

  it('refuses texts that are not a canonical general JWS of protected headers only', async () => {
    const text = await signGeneralJws(payload, [sm2Sm3Signer({ kid: 'k' }, sm2)]);
    const jws = JSON.parse(text) as Record<string, unknown> & { signatures: Array<Record<string, unknown>> };
    const bad: Array<[unknown, RegExp]> = [
      [{ ...jws, extra: 1 }, /member "extra"/],
      [{ payload: jws.payload, signatures: [] }, /1 to 4 entries/],
      [{ ...jws, signatures: [{ ...jws.signatures[0], header: { kid: 'x' } }] }, /member "header"/],
      [{ ...jws, payload: 'a=' }, /payload must be a base64url/],
      [{ ...jws, signatures: [{ ...jws.signatures[0], protected: Buffer.from('[1]').toString('base64url') }] }, /not a JSON object/],
    ];
    for (const [value, message] of bad)
      assert.throws(
        () => decodeGeneralJws(canonicalJson(value)),
        (e: Error) => e instanceof JwsFormatError && message.test(e.message),
      );
    assert.throws(() => decodeGeneralJws(JSON.stringify(jws, null, 1)), /canonical form/);
    assert.throws(() => decodeGeneralJws('a.b.c'), /not JSON/);
  });
});
