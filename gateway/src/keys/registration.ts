import { KEY_USES, type CityId, type KeyRevocationReason, type KeyUse } from '@jcc/domain';
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
  const current = new Set([...KEY_USES.map((use) => keys.current(use).kid), keys.currentSm2()?.kid]);
  for (const key of [...keys.all(), ...keys.allSm2()]) {
    const { outcome, record } = await registerKey(ledger, keys.city, key);
    out.push({ kid: key.kid, use: key.use, outcome });
    // A rotation that committed but stopped before making its key current (the gateway died): finish it.
    if (current.has(key.kid) && record.supersededBy && (keys.find(record.supersededBy) ?? keys.findSm2(record.supersededBy)))
      await keys.activate(record.supersededBy);
  }
  return out;
}

/** The algorithm family of a key to rotate: Ed25519 (`EdDSA`) or SM2 (`SM2SM3`, document keys only). */
export type RotationAlgorithm = 'EdDSA' | 'SM2SM3';

/** What `cities:RotateKey` answers: the new key record and the previous one, closed. */
export type RotatedKey = KeyRecord & { previous: KeyRecord };

/** Raised when a rotation or revocation asked for cannot be done with this store's keys. */
export class KeyLifecycleError extends Error {
  override readonly name = 'KeyLifecycleError';
}

/**
 * Rotates the current key of one use (Ed25519, or with `SM2SM3` the SM2
 * document key): generates a new key, registers it with `cities:RotateKey`,
 * which closes the previous key for signing (its `validTo` becomes the new
 * key's `validFrom`, `supersededBy` names the new key), then makes it
 * current. Signers wait while this runs ({@link KeyStore.rotating}), so no
 * document is signed with the old key after its `validTo`. Earlier documents
 * stay verifiable under the old key.
 */
export async function rotateKey(ledger: Ledger, keys: KeyStore, use: KeyUse, algorithm: RotationAlgorithm = 'EdDSA'): Promise<RotatedKey> {
  if (algorithm === 'SM2SM3' && use !== 'document') throw new KeyLifecycleError('SM2SM3 keys are document keys only');
  return keys.rotating(async () => {
    const previous = algorithm === 'SM2SM3' ? keys.currentSm2() : keys.current(use);
    if (!previous) throw new KeyLifecycleError('this gateway has no SM2 document key (signature suite ed25519)');
    const key = algorithm === 'SM2SM3' ? await keys.generateSm2() : await keys.generate(use);
    const committed = await ledger.submit<RotatedKey>('cities:RotateKey', {
      use,
      jwk: key.publicJwk,
      validFrom: key.createdAt,
      previousKid: previous.kid,
    });
    await keys.activate(key.kid);
    return committed.result;
  });
}

/**
 * Revokes one of this city's keys on the ledger (`cities:RevokeKey`) from
 * `revokedAt` (default: the transaction's time) with a reason code. When it
 * is a key this gateway signs with now, the key is rotated first, so the
 * gateway never signs with a revoked key. Documents issued at or after
 * `revokedAt` fail `issuerKey` everywhere.
 */
export async function revokeKey(
  ledger: Ledger,
  keys: KeyStore,
  input: { kid: string; reason?: KeyRevocationReason; revokedAt?: string },
): Promise<{ revoked: KeyRecord; rotated?: RotatedKey }> {
  let rotated: RotatedKey | undefined;
  const current = currentUse(keys, input.kid);
  if (current) rotated = await rotateKey(ledger, keys, current.use, current.algorithm);
  const committed = await ledger.submit<KeyRecord>('cities:RevokeKey', input);
  return rotated ? { revoked: committed.result, rotated } : { revoked: committed.result };
}

/** The use and algorithm of `kid` when it is one of the store's current keys. */
function currentUse(keys: KeyStore, kid: string): { use: KeyUse; algorithm: RotationAlgorithm } | undefined {
  if (keys.currentSm2()?.kid === kid) return { use: 'document', algorithm: 'SM2SM3' };
  for (const use of KEY_USES) if (keys.current(use).kid === kid) return { use, algorithm: 'EdDSA' };
  return undefined;
}
