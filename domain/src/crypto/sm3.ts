import { createHash, getHashes } from 'node:crypto';
import type { HashInput } from '../hash.js';

/**
 * SM3, the Chinese national cryptographic hash (GB/T 32905-2016, 密码杂凑算法):
 * a 256-bit digest, computed here by node:crypto (the OpenSSL bundled with
 * Node.js 20 and later ships SM3 in its default provider).
 */

/** Raised when this Node.js build's OpenSSL has no SM3 (built with `no-sm3`). */
export class Sm3UnavailableError extends Error {
  override readonly name = 'Sm3UnavailableError';
}

/** Length of an SM3 digest in bytes. */
export const SM3_DIGEST_LENGTH = 32;

let available: boolean | undefined;

/** A fresh SM3 hash object (node:crypto `Hash`), for hashing in parts. */
export function createSm3(): ReturnType<typeof createHash> {
  available ??= getHashes().includes('sm3');
  if (!available) throw new Sm3UnavailableError('this Node.js build has no SM3 (its OpenSSL was built without it)');
  return createHash('sm3');
}

/** SM3 of the input (a string is hashed as its UTF-8 encoding), as 32 bytes. */
export function sm3(input: HashInput): Buffer {
  return createSm3().update(input).digest();
}

/** SM3 of the input, as 64 lower-case hex characters. */
export function sm3Hex(input: HashInput): string {
  return createSm3().update(input).digest('hex');
}

/** True when `value` is an SM3 digest written as 64 lower-case hex characters. */
export function isSm3Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
