import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { signers } from '@hyperledger/fabric-gateway';
import { decodeDerSignature, encodeDerSignature, isLowS, p256Signing, toLowS } from './signer.js';

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const message = new TextEncoder().encode('a proposal the peers will check');
const verifies = (signature: Uint8Array, data = message): boolean => verify('sha256', data, publicKey, signature);

describe('P-256 signer (node:crypto)', () => {
  it('produces low-S DER signatures that verify as ECDSA-SHA256 over the message', async () => {
    const { hash, signer } = p256Signing(privateKey);
    for (let i = 0; i < 64; i++) {
      const data = new TextEncoder().encode(`proposal ${i}`);
      const signature = await signer(hash(data));
      assert.ok(verifies(signature, data), `signature ${i} verifies`);
      assert.ok(isLowS(signature), `signature ${i} is low-S`);
    }
  });

  it('signs what the library reference signer signs: both verify against the same key, in the same form', async () => {
    const ours = p256Signing(privateKey);
    const reference = signers.newPrivateKeySigner(privateKey);
    const oursSig = await ours.signer(ours.hash(message));
    const refSig = await reference(createHash('sha256').update(message).digest());
    assert.ok(verifies(refSig), 'reference signature verifies');
    assert.ok(verifies(oursSig), 'our signature verifies');
    assert.ok(isLowS(refSig) && isLowS(oursSig));
    // Neither verifies for another message.
    const other = new TextEncoder().encode('another proposal');
    assert.ok(!verifies(oursSig, other) && !verifies(refSig, other));
  });

  it('turns a high-S signature into the low-S one, which still verifies', async () => {
    const reference = signers.newPrivateKeySigner(privateKey);
    const low = await reference(createHash('sha256').update(message).digest());
    const { r, s } = decodeDerSignature(low);
    const high = encodeDerSignature(r, N - s);
    assert.ok(verifies(high), 'the high-S twin verifies too (OpenSSL accepts it; Fabric does not)');
    assert.equal(isLowS(high), false);
    assert.deepEqual(Buffer.from(toLowS(high)), Buffer.from(low));
    assert.deepEqual(Buffer.from(toLowS(low)), Buffer.from(low));
  });

  it('refuses keys that are not P-256 private keys', () => {
    assert.throws(() => p256Signing(publicKey), /private key/);
    assert.throws(() => p256Signing(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey), /P-256/);
    assert.throws(() => p256Signing(generateKeyPairSync('ed25519').privateKey), /EC private key/);
  });
});
