import { createHash, createHmac } from 'node:crypto';

/** Bytes or a string (hashed as its UTF-8 encoding). */
export type HashInput = Uint8Array | string;

/** SHA-256 of the input, as 32 bytes. */
export function sha256(input: HashInput): Buffer {
  return createHash('sha256').update(input).digest();
}

/** SHA-256 of the input, as 64 lower-case hex characters. */
export function sha256Hex(input: HashInput): string {
  return createHash('sha256').update(input).digest('hex');
}

/** HMAC-SHA-256 of the input under `key`, as 64 lower-case hex characters. */
export function hmacSha256Hex(key: HashInput, input: HashInput): string {
  return createHmac('sha256', key).update(input).digest('hex');
}

/** True when `value` is a SHA-256 digest written as 64 lower-case hex characters. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
