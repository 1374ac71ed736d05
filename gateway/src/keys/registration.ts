import type { CityId, KeyUse } from '@jcc/domain';
import { LedgerRefusedError } from '../fabric/errors.js';
import type { Ledger } from '../fabric/ledger.js';
import type { KeyRecord } from '../fabric/records.js';
import type { KeyStore, SigningKey, Sm2SigningKey } from './keystore.js';

/** Raised when the ledger holds another public key under one of our kids. */
export class KeyMismatchError extends Error {
  override readonly name = 'KeyMismatchError';
}

/** What {@link registerKey} did. */
export type RegistrationOutcome = 'registered' | 'already-registered';

/**
 * Registers one key on the ledger (`cities:RegisterKey`) unless the ledger
 * already holds it. `validFrom` is the key's creation time; no `validTo`.
 */
export async function registerKey(
  ledger: Ledger,
  city: CityId,
  key: SigningKey | Sm2SigningKey,
): Promise<{ outcome: RegistrationOutcome; record: KeyRecord }> {
  try {
    const record = await ledger.evaluate<KeyRecord>('cities:GetKey', { city, kid: key.kid });
    const sameKey =
      record.jwk.x === key.publicJwk.x && (!('y' in key.publicJwk) || ('y' in record.jwk && record.jwk.y === key.publicJwk.y));
    if (!sameKey) throw new KeyMismatchError(`the ledger holds another public key under kid ${key.kid}`);
    return { outcome: 'already-registered', record };
  } catch (err) {
    if (!(err instanceof LedgerRefusedError && err.code === 'NOT_FOUND')) throw err;
  }
  const committed = await ledger.submit<KeyRecord>('cities:RegisterKey', { use: key.use, jwk: key.publicJwk, validFrom: key.createdAt });
  return { outcome: 'registered', record: committed.result };
}

/** Registers every key of the store (current and earlier, SM2 document keys included) that the ledger does not hold yet. */
export async function registerKeys(
  ledger: Ledger,
  keys: KeyStore,
): Promise<Array<{ kid: string; use: KeyUse; outcome: RegistrationOutcome }>> {
  const out: Array<{ kid: string; use: KeyUse; outcome: RegistrationOutcome }> = [];
  for (const key of [...keys.all(), ...keys.allSm2()]) {
    const { outcome } = await registerKey(ledger, keys.city, key);
    out.push({ kid: key.kid, use: key.use, outcome });
  }
  return out;
}

/**
 * Rotates the key of one use: generates a new key, registers it on the
 * ledger, then makes it current. Earlier keys stay registered and valid, so
 * documents and tokens they signed still verify.
 */
export async function rotateKey(ledger: Ledger, keys: KeyStore, use: KeyUse): Promise<KeyRecord> {
  const key = await keys.generate(use);
  const { record } = await registerKey(ledger, keys.city, key);
  await keys.activate(key.kid);
  return record;
}
