import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { eventSealKey, keySetCollection, type City, type CityId } from '@jcc/domain';
import { decodeRecord, readBytes, writeRecord } from './state.js';

/**
 * Seals (封印): what makes a record or an event count as a city's. A seal is
 * a private value in the city's collection (`@jcc/domain` key-set-seal),
 * whose collection-level endorsement policy needs the city's own peer for
 * every write into it, the first one included. Two other cities running a
 * modified chaincode can create a record in a city's name (a creation needs
 * only the 2-of-5 chaincode policy), but not its seal; every peer holds the
 * SHA-256 of each private value, so any peer can tell a sealed record from
 * one that is not.
 *
 * - A record (a key set included) is sealed by digest under its own state
 *   key: the private value is the SHA-256 of the record's bytes.
 *   {@link readSealedRecord} returns a record only while its bytes are the
 *   ones its owner sealed.
 * - Every write transaction's event is sealed by digest under
 *   `event/<txId>` ({@link sealEvent}), so a gateway's index can tell, from
 *   one query to its own peer, whether an event is the named city's own.
 */

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/**
 * Writes `record` as canonical JSON under `key`, owned by `owner` (its
 * key-level endorsement policy), and seals it: the SHA-256 of its bytes, under
 * the same key, into the owner's collection.
 */
export async function writeSealedRecord(ctx: Context, key: string, record: { city: CityId }, owner: City): Promise<void> {
  const bytes = await writeRecord(ctx, key, record, owner);
  await ctx.stub.putPrivateData(keySetCollection(owner.id), key, sha256(bytes));
}

/** True when `bytes`, stored under `key`, are what `owner` sealed there (compared through the hash every peer holds). */
async function isSealedBy(ctx: Context, owner: CityId, key: string, bytes: Uint8Array): Promise<boolean> {
  const hash = await ctx.stub.getPrivateDataHash(keySetCollection(owner), key);
  return hash !== undefined && hash.length > 0 && Buffer.from(hash).equals(sha256(sha256(bytes)));
}

/**
 * The bytes stored under `key` when `owner` sealed them; `undefined` when the
 * key is absent, or holds a record other cities created in the owner's name.
 */
export async function readSealedBytes(ctx: Context, key: string, owner: CityId): Promise<Uint8Array | undefined> {
  const bytes = await readBytes(ctx, key);
  return bytes && (await isSealedBy(ctx, owner, key, bytes)) ? bytes : undefined;
}

/**
 * The record stored under `key` when the city it names (`record.city`)
 * sealed it, and, when `owner` is given, that city is `owner`; `undefined`
 * otherwise (absent, or written in the city's name by others).
 */
export async function readSealedRecord<T extends { city: CityId }>(ctx: Context, key: string, owner?: CityId): Promise<T | undefined> {
  const bytes = await readBytes(ctx, key);
  return bytes && sealedRecordOf<T>(ctx, key, bytes, owner);
}

/** {@link readSealedRecord} for bytes already read (a range query's values). */
export async function sealedRecordOf<T extends { city: CityId }>(
  ctx: Context,
  key: string,
  bytes: Uint8Array,
  owner?: CityId,
): Promise<T | undefined> {
  const record = decodeRecord<T>(bytes);
  if (typeof record?.city !== 'string' || (owner !== undefined && record.city !== owner)) return undefined;
  return (await isSealedBy(ctx, record.city, key, bytes)) ? record : undefined;
}

/** Seals this transaction's event payload as `city`'s (see {@link eventSealOf}). */
export async function sealEvent(ctx: Context, city: CityId, payload: Uint8Array): Promise<void> {
  await ctx.stub.putPrivateData(keySetCollection(city), eventSealKey(ctx.stub.getTxID()), sha256(payload));
}

/**
 * The hash every peer holds of `city`'s event seal for transaction `txId`
 * (hex: the SHA-256 of the SHA-256 of the event payload), or `undefined`
 * when the transaction carries no seal of the city.
 */
export async function eventSealOf(ctx: Context, city: CityId, txId: string): Promise<string | undefined> {
  const hash = await ctx.stub.getPrivateDataHash(keySetCollection(city), eventSealKey(txId));
  return hash && hash.length > 0 ? Buffer.from(hash).toString('hex') : undefined;
}
