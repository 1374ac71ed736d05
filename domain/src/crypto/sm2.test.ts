import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SM2_CURVE, Sm2Point, coordinateBytes } from './sm2-curve.js';
import { SM2_DEFAULT_ID, sm2Za } from './sm2-identifier.js';
import { Sm2KeyError, generateSm2PrivateJwk, isValidSm2PublicJwk, sm2KeyPair, sm2PrivateJwkFromScalar, sm2PublicJwk } from './sm2-key.js';
import {
  Sm2SignatureFormatError,
  sm2MessageDigest,
  sm2Sign,
  sm2SignDigestWithNonce,
  sm2SignatureFromDer,
  sm2SignatureToDer,
  sm2Verify,
  sm2VerifyDigest,
} from './sm2-signature.js';
import { SM2_SPKI_PREFIX, sm2JwkFromSpki, sm2JwkToPem, sm2JwkToSpki } from './sm2-spki.js';

/**
 * The signature example on the recommended curve with the default
 * identifier 1234567812345678, published in GB/T 32918.5-2017 / GM/T
 * 0003.5-2012 (Part 5, parameter definition) Annex A, and reproduced in
 * OpenSSL's own test suite (test/sm2_internal_test.c, sm2_sig_test).
 */
const ANNEX_A = {
  d: 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n,
  message: 'message digest',
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  r: 0xf5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3n,
  s: 0xb1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aan,
};

/** Runs openssl, failing the test with its stderr when it exits non-zero. */
function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** True when `openssl pkeyutl -verify` accepts the signature (it exits 1 when it does not). */
function opensslVerifies(dir: string, pem: string, message: Buffer, signature: Buffer, id = SM2_DEFAULT_ID): boolean {
  writeFileSync(join(dir, 'pub.pem'), pem);
  writeFileSync(join(dir, 'msg'), message);
  writeFileSync(join(dir, 'sig'), signature);
  try {
    const out = openssl(
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'pub.pem',
        '-rawin',
        '-digest',
        'sm3',
        '-pkeyopt',
        `distid:${id}`,
        '-in',
        'msg',
        '-sigfile',
        'sig',
      ],
      dir,
    );
    return out.includes('Signature Verified Successfully');
  } catch (err) {
    const stdout = String((err as { stdout?: unknown }).stdout ?? '');
    if (stdout.includes('Signature Verification Failure')) return false;
    throw err;
  }
}

describe('SM2 signatures (GB/T 32918.2 with SM3, Z_A and GM/T 0009 DER)', () => {
  it('reproduces and verifies the published example on the recommended curve with the default identifier', () => {
    const publicPoint = Sm2Point.BASE.multiply(ANNEX_A.d);
    const e = sm2MessageDigest(Buffer.from(ANNEX_A.message), sm2Za(publicPoint, SM2_DEFAULT_ID));
    assert.deepEqual(sm2SignDigestWithNonce(e, ANNEX_A.d, ANNEX_A.k), { r: ANNEX_A.r, s: ANNEX_A.s });
    const jwk = sm2PublicJwk(sm2PrivateJwkFromScalar(ANNEX_A.d));
    const der = sm2SignatureToDer({ r: ANNEX_A.r, s: ANNEX_A.s });
    assert.equal(sm2Verify(Buffer.from(ANNEX_A.message), der, jwk), true);
    assert.equal(sm2Verify(Buffer.from('message digesT'), der, jwk), false);
    assert.equal(sm2Verify(Buffer.from(ANNEX_A.message), der, jwk, { id: 'ALICE123@YAHOO.COM' }), false, 'Z_A binds the identifier');
    assert.equal(sm2VerifyDigest(e, { r: ANNEX_A.r, s: ANNEX_A.s + 1n }, publicPoint), false);
  });

  it('signs with a random nonce: two signatures differ, both verify, and each fails for another key or message', () => {
    const key = generateSm2PrivateJwk();
    const message = Buffer.from('{"a":1}');
    const one = sm2Sign(message, key);
    const two = sm2Sign(message, key);
    assert.notDeepEqual(one, two);
    assert.equal(sm2Verify(message, one, key), true);
    assert.equal(sm2Verify(message, two, sm2PublicJwk(key)), true);
    assert.equal(sm2Verify(message, one, generateSm2PrivateJwk()), false);
    assert.equal(sm2Verify(Buffer.from('{"a":2}'), one, key), false);
    const custom = sm2Sign(message, key, { id: 'qingdao@jcc' });
    assert.equal(sm2Verify(message, custom, key, { id: 'qingdao@jcc' }), true);
    assert.equal(sm2Verify(message, custom, key), false);
  });

  it('encodes signatures as strict DER SEQUENCE { INTEGER r, INTEGER s } and refuses anything else', () => {
    const der = sm2SignatureToDer({ r: ANNEX_A.r, s: ANNEX_A.s });
    // Both integers have their top bit set, so each takes a leading zero byte: 2 + (2 + 33) * 2 bytes.
    assert.equal(der.toString('hex').slice(0, 8), '30460221');
    assert.deepEqual(sm2SignatureFromDer(der), { r: ANNEX_A.r, s: ANNEX_A.s });
    assert.throws(() => sm2SignatureFromDer(Buffer.concat([der, Buffer.of(0)])), Sm2SignatureFormatError);
    assert.throws(
      () => sm2SignatureFromDer(Buffer.concat([coordinateBytes(ANNEX_A.r), coordinateBytes(ANNEX_A.s)])),
      Sm2SignatureFormatError,
    );
    assert.throws(() => sm2SignatureFromDer(Buffer.from('3006020100020101', 'hex')), Sm2SignatureFormatError, 'r = 0');
    const key = generateSm2PrivateJwk();
    assert.equal(sm2Verify(Buffer.from('m'), Buffer.from('not der'), key), false);
    // r and s must lie in [1, n-1].
    assert.equal(sm2Verify(Buffer.from('m'), sm2SignatureToDer({ r: SM2_CURVE.n, s: 1n }), key), false);
  });

  it('represents keys as JWK (kty EC, crv SM2, 32-byte x/y/d) and refuses invalid ones', () => {
    const key = generateSm2PrivateJwk();
    assert.equal(key.kty, 'EC');
    assert.equal(key.crv, 'SM2');
    for (const member of [key.x, key.y, key.d]) assert.equal(Buffer.from(member, 'base64url').length, 32);
    assert.equal(isValidSm2PublicJwk(sm2PublicJwk(key)), true);
    assert.equal('d' in sm2PublicJwk(key), false);
    const offCurve = { ...sm2PublicJwk(key), y: key.x };
    assert.equal(isValidSm2PublicJwk(offCurve), false);
    assert.throws(() => sm2Verify(Buffer.from('m'), Buffer.alloc(8), offCurve), Sm2KeyError);
    assert.equal(isValidSm2PublicJwk({ ...sm2PublicJwk(key), crv: 'P-256' }), false);
    assert.equal(isValidSm2PublicJwk({ ...sm2PublicJwk(key), x: key.x.slice(1) }), false);
    const other = generateSm2PrivateJwk();
    assert.throws(() => sm2KeyPair({ ...key, d: other.d }), /not the public key of d/);
    assert.throws(() => sm2PrivateJwkFromScalar(SM2_CURVE.n - 1n), Sm2KeyError);
    const spki = sm2JwkToSpki(key);
    assert.deepEqual(spki.subarray(0, SM2_SPKI_PREFIX.length), SM2_SPKI_PREFIX);
    assert.deepEqual(sm2JwkFromSpki(spki), { kty: 'EC', crv: 'SM2', x: key.x, y: key.y });
    assert.deepEqual(sm2JwkFromSpki(sm2JwkToPem(key)), { kty: 'EC', crv: 'SM2', x: key.x, y: key.y });
  });

  describe('interoperability with OpenSSL 3 (openssl pkeyutl, its own SM2 implementation)', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'jcc-sm2-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('writes public keys that OpenSSL reads as SM2 keys', () => {
      const key = generateSm2PrivateJwk();
      writeFileSync(join(dir, 'ours.pem'), sm2JwkToPem(key));
      const text = openssl(['pkey', '-pubin', '-in', 'ours.pem', '-text', '-noout'], dir);
      assert.match(text, /ASN1 OID: SM2/);
    });

    it('has our signatures verified by OpenSSL, and a tampered one refused by it', () => {
      for (const length of [0, 1, 100, 5000]) {
        const key = generateSm2PrivateJwk();
        const message = Buffer.from(Array.from({ length }, (_, i) => (i * 7 + length) % 256));
        const signature = sm2Sign(message, key);
        const pem = sm2JwkToPem(key);
        assert.equal(opensslVerifies(dir, pem, message, signature), true, `length ${length}`);
        const tampered = Buffer.from(signature);
        tampered.writeUInt8(tampered.readUInt8(tampered.length - 1) ^ 0x01, tampered.length - 1);
        assert.equal(opensslVerifies(dir, pem, message, tampered), false);
        assert.equal(sm2Verify(message, tampered, key), false);
        assert.equal(opensslVerifies(dir, pem, Buffer.concat([message, Buffer.of(0)]), signature), false);
      }
      const key = generateSm2PrivateJwk();
      const custom = sm2Sign(Buffer.from('abc'), key, { id: 'weihai.credit' });
      assert.equal(opensslVerifies(dir, sm2JwkToPem(key), Buffer.from('abc'), custom, 'weihai.credit'), true);
      assert.equal(opensslVerifies(dir, sm2JwkToPem(key), Buffer.from('abc'), custom), false);
    });

    it('verifies signatures made by OpenSSL, and refuses them tampered', () => {
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'theirs.key'], dir);
      openssl(['pkey', '-in', 'theirs.key', '-pubout', '-out', 'theirs.pub'], dir);
      const jwk = sm2JwkFromSpki(readFileSync(join(dir, 'theirs.pub'), 'utf8'));
      for (const [name, id] of [
        ['default identifier', SM2_DEFAULT_ID],
        ['own identifier', 'rizhao.credit'],
      ] as const) {
        const message = Buffer.from(`a document signed by OpenSSL (${name})`);
        writeFileSync(join(dir, 'm'), message);
        openssl(
          ['pkeyutl', '-sign', '-inkey', 'theirs.key', '-rawin', '-digest', 'sm3', '-pkeyopt', `distid:${id}`, '-in', 'm', '-out', 's'],
          dir,
        );
        const signature = readFileSync(join(dir, 's'));
        assert.equal(sm2Verify(message, signature, jwk, { id }), true, name);
        const tampered = Buffer.from(signature);
        tampered.writeUInt8(tampered.readUInt8(10) ^ 0x40, 10);
        assert.equal(sm2Verify(message, tampered, jwk, { id }), false);
        assert.equal(sm2Verify(Buffer.from('another message'), signature, jwk, { id }), false);
      }
    });
  });
});
