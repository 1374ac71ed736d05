import { randomBytes } from 'node:crypto';
import { sha256Hex, type CityId } from '@jcc/domain';

const BASE32 = 'abcdefghjkmnpqrstvwxyz0123456789';

/** Random bytes drawn ahead (one system call for many ids). */
let pool = Buffer.alloc(0);
let poolAt = 0;

/** `n` random characters of a lower-case, unambiguous alphabet. */
export function randomToken(n: number): string {
  if (poolAt + n > pool.length) {
    pool = randomBytes(Math.max(4096, n));
    poolAt = 0;
  }
  let out = '';
  for (let i = poolAt; i < poolAt + n; i++) out += BASE32.charAt((pool[i] as number) % BASE32.length);
  poolAt += n;
  return out;
}

/**
 * A new record id of the form `<city>-<kind>-<yyyymmdd>-<14 random chars>`,
 * e.g. `qingdao-cr-20261126-k3v9...`. Matches the ledger's id pattern and
 * carries no personal data.
 */
export function newRecordId(city: CityId, kind: string, now: number = Date.now()): string {
  const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
  return `${city}-${kind}-${day}-${randomToken(14)}`;
}

/**
 * A record id derived from a client's idempotency key, so that a retried
 * request names the same ledger record: `<city>-<kind>-k<40 hex>`.
 */
export function derivedRecordId(city: CityId, kind: string, scope: string, idempotencyKey: string): string {
  return `${city}-${kind}-k${sha256Hex(`${scope}\u0000${idempotencyKey}`).slice(0, 40)}`;
}
