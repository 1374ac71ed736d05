import { randomBytes } from 'node:crypto';
import { DER } from '@noble/curves/abstract/weierstrass.js';
import { SM2_CURVE, Sm2Point, bytesToBigint, modN } from './sm2-curve.js';
import { SM2_DEFAULT_ID, sm2Za } from './sm2-identifier.js';
import { sm2KeyPair, sm2PublicPoint, type Sm2KeyPair, type Sm2PrivateJwk, type Sm2PublicJwk } from './sm2-key.js';
import { createSm3 } from './sm3.js';

/**
 * SM2 digital signatures (SM2 数字签名算法) of GB/T 32918.2-2016 / GM/T
 * 0003.2-2012 with SM3 as the hash: the signer hashes Z_A ‖ M (Z_A binds its
 * distinguishing identifier and public key, see {@link sm2Za}); the signature
 * (r, s) is encoded as in GM/T 0009-2012 §7.3: DER SEQUENCE { INTEGER r, INTEGER s }.
 * This is what `openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:ID` produces.
 */

/** Options of SM2 signing and verification. */
export interface Sm2Options {
  /** The signer's distinguishing identifier; default {@link SM2_DEFAULT_ID}. */
  id?: string | Uint8Array;
}

/** The two integers of an SM2 signature. */
export interface Sm2Signature {
  r: bigint;
  s: bigint;
}

/** Raised when bytes are not a DER SEQUENCE of two positive INTEGERs. */
export class Sm2SignatureFormatError extends Error {
  override readonly name = 'Sm2SignatureFormatError';
}

/** e = SM3(Z_A ‖ M) as an integer (GB/T 32918.2 §6.1 steps A1-A2). */
export function sm2MessageDigest(message: Uint8Array, za: Uint8Array): Buffer {
  return createSm3().update(za).update(message).digest();
}

/**
 * Steps A3-A7 with a given nonce k: the signature of digest `e` under `d`,
 * or `undefined` when this k must be rejected (r = 0, r + k = n or s = 0).
 * Exposed for the published test vectors; real signing draws k at random.
 */
export function sm2SignDigestWithNonce(e: Uint8Array, d: bigint, k: bigint): Sm2Signature | undefined {
  const { n } = SM2_CURVE;
  if (k < 1n || k >= n) return undefined;
  const x1 = Sm2Point.BASE.multiply(k).x;
  const r = modN(bytesToBigint(e) + x1);
  if (r === 0n || r + k === n) return undefined;
  const s = modN(Sm2Point.Fn.inv(1n + d) * modN(k - r * d));
  if (s === 0n) return undefined;
  return { r, s };
}

/** Signs digest e with a fresh random nonce. */
function signDigest(e: Uint8Array, key: Sm2KeyPair): Sm2Signature {
  for (;;) {
    // 64 random bytes reduced mod n-1: the bias is below 2^-256.
    const k = (bytesToBigint(randomBytes(64)) % (SM2_CURVE.n - 1n)) + 1n;
    const signature = sm2SignDigestWithNonce(e, key.d, k);
    if (signature) return signature;
  }
}

/**
 * Steps B1-B7: true when (r, s) is a signature of digest `e` under the
 * public point. Never throws for a wrong signature.
 */
export function sm2VerifyDigest(e: Uint8Array, signature: Sm2Signature, publicPoint: ReturnType<typeof sm2PublicPoint>): boolean {
  const { n } = SM2_CURVE;
  const { r, s } = signature;
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  const t = modN(r + s);
  if (t === 0n) return false;
  const point = Sm2Point.BASE.multiplyUnsafe(s).add(publicPoint.multiplyUnsafe(t));
  if (point.equals(Sm2Point.ZERO)) return false;
  return modN(bytesToBigint(e) + point.x) === r;
}

/** The GM/T 0009 DER encoding of a signature. */
export function sm2SignatureToDer(signature: Sm2Signature): Buffer {
  return Buffer.from(DER.hexFromSig(signature), 'hex');
}

/**
 * The two integers of a GM/T 0009 DER signature (strict DER: minimal
 * lengths and integers, nothing after the SEQUENCE).
 *
 * @throws Sm2SignatureFormatError when the bytes are not such a SEQUENCE.
 */
export function sm2SignatureFromDer(der: Uint8Array): Sm2Signature {
  try {
    const { r, s } = DER.toSig(Uint8Array.from(der));
    if (r <= 0n || s <= 0n) throw new Error('not positive');
    return { r, s };
  } catch (err) {
    throw new Sm2SignatureFormatError(`not a DER SEQUENCE { INTEGER r, INTEGER s }: ${(err as Error).message}`);
  }
}

/**
 * Signs `message` with a private SM2 JWK: SM3 with Z_A over the signer's
 * identifier (default {@link SM2_DEFAULT_ID}), random nonce, DER signature.
 *
 * @throws Sm2KeyError when the JWK is not a valid SM2 private key.
 */
export function sm2Sign(message: Uint8Array, privateJwk: Sm2PrivateJwk, options: Sm2Options = {}): Buffer {
  const key = sm2KeyPair(privateJwk);
  const e = sm2MessageDigest(message, sm2Za(key.publicPoint, options.id ?? SM2_DEFAULT_ID));
  return sm2SignatureToDer(signDigest(e, key));
}

/**
 * True when `signature` (DER) is the SM2 signature of `message` by the
 * holder of `publicJwk` under identifier `options.id` (default
 * {@link SM2_DEFAULT_ID}). False for a malformed or wrong signature.
 *
 * @throws Sm2KeyError when the JWK is not a valid SM2 public key.
 */
export function sm2Verify(message: Uint8Array, signature: Uint8Array, publicJwk: Sm2PublicJwk, options: Sm2Options = {}): boolean {
  const point = sm2PublicPoint(publicJwk);
  let parsed: Sm2Signature;
  try {
    parsed = sm2SignatureFromDer(signature);
  } catch {
    return false;
  }
  return sm2VerifyDigest(sm2MessageDigest(message, sm2Za(point, options.id ?? SM2_DEFAULT_ID)), parsed, point);
}
