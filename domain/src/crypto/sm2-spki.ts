import { sm2JwkFromPoint, sm2PublicPoint, Sm2KeyError, type Sm2PublicJwk } from './sm2-key.js';
import { Sm2Point, coordinateBytes } from './sm2-curve.js';

/**
 * SM2 public keys as X.509 SubjectPublicKeyInfo (RFC 5480 form, as OpenSSL
 * writes them): algorithm id-ecPublicKey (1.2.840.10045.2.1) with the named
 * curve SM2 (1.2.156.10197.1.301), and the uncompressed point 04 ‖ x ‖ y.
 * Every SM2 key's SPKI is this fixed 27-byte prefix followed by x and y.
 */

/** DER of SEQUENCE { SEQUENCE { id-ecPublicKey, sm2 }, BIT STRING (66 bytes) 00 04 }: the bytes before x ‖ y. */
export const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d03420004', 'hex');

/** The DER SubjectPublicKeyInfo of a public SM2 JWK. */
export function sm2JwkToSpki(jwk: Sm2PublicJwk): Buffer {
  const point = sm2PublicPoint(jwk);
  return Buffer.concat([SM2_SPKI_PREFIX, coordinateBytes(point.x), coordinateBytes(point.y)]);
}

/** The PEM (`-----BEGIN PUBLIC KEY-----`) of a public SM2 JWK, as `openssl pkey -pubin` reads it. */
export function sm2JwkToPem(jwk: Sm2PublicJwk): string {
  const body = sm2JwkToSpki(jwk)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN PUBLIC KEY-----\n${body}-----END PUBLIC KEY-----\n`;
}

/**
 * The public JWK of an SM2 SubjectPublicKeyInfo, DER or PEM.
 *
 * @throws Sm2KeyError when it is not an SM2 public key with an uncompressed point on the curve.
 */
export function sm2JwkFromSpki(spki: Uint8Array | string): Sm2PublicJwk {
  const der =
    typeof spki === 'string'
      ? Buffer.from(spki.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, ''), 'base64')
      : Buffer.from(spki);
  if (der.length !== SM2_SPKI_PREFIX.length + 64 || !der.subarray(0, SM2_SPKI_PREFIX.length).equals(SM2_SPKI_PREFIX))
    throw new Sm2KeyError('not the SubjectPublicKeyInfo of an SM2 key with an uncompressed point');
  const point = Sm2Point.fromBytes(Uint8Array.of(4, ...der.subarray(SM2_SPKI_PREFIX.length)));
  point.assertValidity();
  return sm2JwkFromPoint(point);
}
