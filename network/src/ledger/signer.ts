import { sign, type KeyObject } from 'node:crypto';
import { hash, type Hash, type Signer } from '@hyperledger/fabric-gateway';

/** Order n of the P-256 (secp256r1) group. */
const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const HALF_ORDER = P256_ORDER >> 1n;

/** The signing half of a Fabric Gateway connection: what to hash and how to sign it. */
export interface FabricSigning {
  /** Passed to the Fabric Gateway as `hash`. */
  readonly hash: Hash;
  /** Passed to the Fabric Gateway as `signer`. */
  readonly signer: Signer;
}

/** Raised when a signature is not a DER-encoded ECDSA signature. */
export class SignatureFormatError extends Error {
  override readonly name = 'SignatureFormatError';
}

function readInteger(der: Uint8Array, at: number): { value: bigint; next: number } {
  if (der[at] !== 0x02) throw new SignatureFormatError('expected a DER INTEGER');
  const length = der[at + 1];
  if (length === undefined || length === 0 || length > 33 || at + 2 + length > der.length)
    throw new SignatureFormatError('bad DER INTEGER length');
  const value = BigInt(`0x${Buffer.from(der.subarray(at + 2, at + 2 + length)).toString('hex')}`);
  return { value, next: at + 2 + length };
}

function integerBytes(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  // A leading 1 bit would read as negative: prefix a zero byte.
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** The `r` and `s` of a DER-encoded ECDSA signature (`SEQUENCE { INTEGER r, INTEGER s }`). */
export function decodeDerSignature(der: Uint8Array): { r: bigint; s: bigint } {
  if (der[0] !== 0x30 || der[1] !== der.length - 2) throw new SignatureFormatError('expected a DER SEQUENCE of the whole signature');
  const r = readInteger(der, 2);
  const s = readInteger(der, r.next);
  if (s.next !== der.length) throw new SignatureFormatError('trailing bytes after the DER signature');
  return { r: r.value, s: s.value };
}

/** DER encoding of an ECDSA signature `(r, s)`. */
export function encodeDerSignature(r: bigint, s: bigint): Uint8Array {
  const rb = integerBytes(r);
  const sb = integerBytes(s);
  const body = Buffer.concat([Buffer.from([0x02, rb.length]), rb, Buffer.from([0x02, sb.length]), sb]);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30, body.length]), body]));
}

/** True when the `s` of a DER P-256 signature is at most n/2, the only form Fabric peers accept. */
export function isLowS(der: Uint8Array): boolean {
  return decodeDerSignature(der).s <= HALF_ORDER;
}

/**
 * The low-S form of a DER P-256 signature: `(r, n - s)` when `s > n/2`, the
 * signature unchanged otherwise. Both verify; Fabric rejects the high-S one
 * to rule out signature malleability.
 */
export function toLowS(der: Uint8Array): Uint8Array {
  const { r, s } = decodeDerSignature(der);
  return s > HALF_ORDER ? encodeDerSignature(r, P256_ORDER - s) : der;
}

/**
 * Signing for the Fabric Gateway with a P-256 private key in node:crypto
 * (OpenSSL), instead of the library's pure-JavaScript signer.
 *
 * The Fabric Gateway hands the signer the output of `hash`. node:crypto can
 * only sign a message it hashes itself, so `hash` is the identity
 * (`hash.none`) and the signer computes ECDSA-SHA256 over the message: the
 * same signature a peer checks (it hashes the message with SHA-256), without
 * hashing twice. The DER signature is brought to low-S form.
 *
 * @throws Error when the key is not a P-256 private key.
 */
export function p256Signing(privateKey: KeyObject): FabricSigning {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ec')
    throw new Error(`expected an EC private key, got a ${privateKey.type} ${privateKey.asymmetricKeyType ?? ''} key`);
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  if (curve !== 'prime256v1') throw new Error(`expected a P-256 key, got curve ${curve ?? 'unknown'}`);
  return {
    hash: hash.none,
    signer: (message: Uint8Array) => Promise.resolve(toLowS(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }))),
  };
}
