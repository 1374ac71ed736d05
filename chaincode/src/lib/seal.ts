import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { documentStatusSealKey, keySetCollection, type CityId, type DocumentStatusRecord } from '@jcc/domain';
import { compositeKey, OBJECT_TYPES } from './keys.js';
import { decodeRecord } from './state.js';

/**
 * Seals of a city's records (封印): a private value under `sealKey` in the
 * city's collection (`@jcc/domain` key-set-seal). The collection-level
 * endorsement policy needs the city's own peer for every write into it, the
 * first one included, so a record that other cities created in the city's
 * name has no seal that matches it. Every peer holds the SHA-256 of each
 * private value, so any peer can tell a sealed record. A key set is sealed
 * by value (its bytes are the private value); a chunk or a status, which can
 * be large or many, by digest (the SHA-256 of its bytes).
 */

const sha256 = (bytes: Uint8Array): Buffer => createHash('sha256').update(bytes).digest();

/** True when `city`'s seal under `sealKey` holds exactly `value` (compared through the hash every peer holds). */
export async function hasSeal(ctx: Context, city: CityId, sealKey: string, value: Uint8Array): Promise<boolean> {
  const hash = await ctx.stub.getPrivateDataHash(keySetCollection(city), sealKey);
  if (!hash || hash.length === 0) return false;
  return Buffer.from(hash).equals(sha256(value));
}

/** Seals `bytes` as `city`'s under `sealKey`, by digest. */
export async function sealDigest(ctx: Context, city: CityId, sealKey: string, bytes: Uint8Array): Promise<void> {
  await ctx.stub.putPrivateData(keySetCollection(city), sealKey, sha256(bytes));
}

/** True when `bytes` are what `city` sealed by digest under `sealKey`. */
export function hasDigestSeal(ctx: Context, city: CityId, sealKey: string, bytes: Uint8Array): Promise<boolean> {
  return hasSeal(ctx, city, sealKey, sha256(bytes));
}

/**
 * A document's status record (revoked, superseded) when `city` sealed it;
 * undefined when there is none, or only one other cities created in the
 * city's name.
 */
export async function sealedStatus(ctx: Context, city: CityId, id: string): Promise<DocumentStatusRecord | undefined> {
  const bytes = await ctx.stub.getState(compositeKey(ctx, OBJECT_TYPES.documentStatus, [city, id]));
  if (!bytes || bytes.length === 0) return undefined;
  return (await hasDigestSeal(ctx, city, documentStatusSealKey(id), bytes)) ? decodeRecord<DocumentStatusRecord>(bytes) : undefined;
}
