import type { Context } from 'fabric-contract-api';
import { cityById, jwkThumbprint, type CityId, type CityKeySetRecord, type KeyRecord } from '@jcc/domain';
import { compositeKey, OBJECT_TYPES } from './keys.js';
import { readSealedRecord, writeSealedRecord } from './seal.js';
import { readRecord } from './state.js';
import { txTimestamp } from './txTime.js';

/**
 * A city's key set (`cityKeySet [city]`): the provenance of everything that
 * counts as the city's key. A key record is created under the chaincode
 * endorsement policy alone, so two other cities running a modified chaincode
 * could write one in the city's name; the key set carries the city's
 * key-level endorsement policy, and every registration rewrites it in the
 * same transaction, so listing a key in it takes the city's own peer.
 * Readers trust a key record only through {@link trustedKey}.
 *
 * The key-level policy protects a key set only once it exists: its first
 * write, like any creation, needs only the chaincode policy. So every write
 * also seals the key set, as every record without a signature of its own is
 * sealed (`seal.ts`): the SHA-256 of its bytes goes into the city's
 * collection, whose collection-level endorsement policy needs the city's own
 * peer for every write, the first included. A key set counts only while
 * sealed. A key set that
 * other cities created (unsealed) is ignored, by readers and by the city's
 * own next registration, which starts from an empty set.
 */

/** The composite key of a city's key set. */
export function keySetKey(ctx: Context, city: CityId): string {
  return compositeKey(ctx, OBJECT_TYPES.cityKeySet, [city]);
}

/**
 * A city's key set when it is sealed (written with the city's own peer), or
 * `undefined`: before its first registration, or when the record there was
 * not written by the city (other cities created it; its seal is missing or
 * differs).
 */
export async function readKeySet(ctx: Context, city: CityId): Promise<CityKeySetRecord | undefined> {
  return readSealedRecord<CityKeySetRecord>(ctx, keySetKey(ctx, city), city);
}

/** An empty key set for a city's first registration. */
export function emptyKeySet(city: CityId): CityKeySetRecord {
  return { city, keys: {}, approvedIdentities: {}, revokedIdentities: {}, updatedAt: '', txId: '' };
}

/**
 * Writes a city's key set (stamped with this transaction), protected by the
 * city's key-level policy, and sealed (`seal.ts`).
 */
export async function writeKeySet(ctx: Context, keySet: CityKeySetRecord): Promise<CityKeySetRecord> {
  const record: CityKeySetRecord = { ...keySet, updatedAt: txTimestamp(ctx), txId: ctx.stub.getTxID() };
  await writeSealedRecord(ctx, keySetKey(ctx, keySet.city), record, cityById(keySet.city));
  return record;
}

/** True when the key set lists this key record's kid with the thumbprint of its JWK. */
export function hasProvenance(keySet: CityKeySetRecord | undefined, record: KeyRecord): boolean {
  if (!keySet || record.city !== keySet.city) return false;
  const listed = Object.hasOwn(keySet.keys, record.kid) ? keySet.keys[record.kid] : undefined;
  return listed !== undefined && listed === jwkThumbprint(record.jwk);
}

/** The key record of `city`/`kid` when the city's key set vouches for it, else `undefined`. */
export async function trustedKey(ctx: Context, city: CityId, kid: string, keySet?: CityKeySetRecord): Promise<KeyRecord | undefined> {
  const record = await readRecord<KeyRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.cityKey, [city, kid]));
  if (!record || record.kid !== kid) return undefined;
  return hasProvenance(keySet ?? (await readKeySet(ctx, city)), record) ? record : undefined;
}
