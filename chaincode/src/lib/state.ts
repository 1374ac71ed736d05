import type { Context } from 'fabric-contract-api';
import { canonicalJsonBytes, type City } from '@jcc/domain';
import { cityEndorsementPolicy } from './endorsementPolicy.js';

/**
 * Reading and writing JSON records in the world state. Every key written is
 * owned by the submitting city and gets that city's key-level endorsement
 * policy in the same transaction.
 *
 * Fabric does not let a transaction read its own writes: reads always see
 * the state as committed before the transaction.
 */

/** The value of an index key (Fabric treats an empty value as a delete). */
export const INDEX_VALUE: Uint8Array = Uint8Array.of(0);

/** The bytes stored under `key`, or `undefined` when the key is absent. */
export async function readBytes(ctx: Context, key: string): Promise<Uint8Array | undefined> {
  const bytes = await ctx.stub.getState(key);
  return bytes && bytes.length > 0 ? bytes : undefined;
}

/** The record stored under `key`, or `undefined` when the key is absent. */
export async function readRecord<T>(ctx: Context, key: string): Promise<T | undefined> {
  const bytes = await readBytes(ctx, key);
  return bytes && decodeRecord<T>(bytes);
}

/** Parses a stored record (UTF-8 JSON). */
export function decodeRecord<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

/** Sets the key-level endorsement policy of `key` to that of its owner. */
export async function protectKey(ctx: Context, key: string, owner: City): Promise<void> {
  await ctx.stub.setStateValidationParameter(key, cityEndorsementPolicy(owner));
}

/** Writes `record` as canonical JSON under `key`, owned by `owner`; returns the bytes written. */
export async function writeRecord(ctx: Context, key: string, record: object, owner: City): Promise<Uint8Array> {
  const bytes = canonicalJsonBytes(record);
  await ctx.stub.putState(key, bytes);
  await protectKey(ctx, key, owner);
  return bytes;
}

/** Writes an index key, owned by `owner`. */
export async function writeIndex(ctx: Context, key: string, owner: City): Promise<void> {
  await ctx.stub.putState(key, INDEX_VALUE);
  await protectKey(ctx, key, owner);
}

/**
 * Writes a subject index key (`<type>~subject` → primary record) without a
 * key-level endorsement policy. Such a key holds no data: every query that
 * follows it loads the primary record, which is protected, and keeps it only
 * when the record's own subject matches, so a forged index key reveals or
 * changes nothing. Leaving the policy off halves the state-based validation
 * work of bulk loads (each protected key costs a policy evaluation with
 * signature checks on every peer).
 */
export async function writeSubjectIndex(ctx: Context, key: string): Promise<void> {
  await ctx.stub.putState(key, INDEX_VALUE);
}

/** Deletes an index key (its endorsement policy goes with it). */
export async function deleteIndex(ctx: Context, key: string): Promise<void> {
  await ctx.stub.deleteState(key);
}
