import { createHmac, randomBytes } from 'node:crypto';

/**
 * Signing of webhook deliveries after the Standard Webhooks conventions
 * (https://www.standardwebhooks.com/): three headers, `webhook-id` (the
 * notification id, the same on every retry), `webhook-timestamp` (Unix
 * seconds of this attempt) and `webhook-signature` (`v1,` and the base64
 * HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed with the subscription's
 * secret). The secret is `whsec_` and the base64 of 32 random bytes; the HMAC
 * key is those bytes.
 */

/** Prefix of a subscription secret. */
export const SECRET_PREFIX = 'whsec_';

/** A new subscription secret. */
export function newSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** The HMAC key of a secret (the bytes after the prefix). */
function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

/** The value of `webhook-signature` for one attempt. */
export function signature(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers of one delivery attempt. */
export function signedHeaders(secret: string, id: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature(secret, id, timestamp, body),
  };
}
