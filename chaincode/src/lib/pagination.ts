import type { Context } from 'fabric-contract-api';
import { CodedError, MAX_PAGE_SIZE, type Page } from '@jcc/domain';
import { compositeKey, type ObjectType } from './keys.js';

/**
 * Paginated range queries over composite keys
 * (`getStateByPartialCompositeKeyWithPagination`): the only way the
 * chaincode reads more than one key, so no query scans the whole state.
 *
 * Fabric refuses paginated queries in a transaction that writes, so only
 * query transactions (`@Transaction(false)`) call these.
 */

/** What a client asks for: a page size and the bookmark of the previous page (empty for the first). */
export interface PageRequest {
  pageSize: number;
  bookmark: string;
}

/** One key of a page, with its composite-key attributes. */
export interface KeyedValue {
  key: string;
  attributes: string[];
  value: Uint8Array;
}

/** One page of keys; `bookmark` is empty after the last page. */
export interface KeyPage {
  entries: KeyedValue[];
  bookmark: string;
  fetched: number;
}

/**
 * Reads one page of the keys of `objectType` whose attributes start with
 * `attributes`.
 *
 * @throws CodedError `INVALID_ARGUMENT` when the bookmark does not belong to this range (a bookmark is only valid for the query that returned it).
 */
export async function readKeyPage(
  ctx: Context,
  objectType: ObjectType,
  attributes: readonly string[],
  request: PageRequest,
): Promise<KeyPage> {
  const prefix = compositeKey(ctx, objectType, attributes);
  if (request.bookmark !== '' && !request.bookmark.startsWith(prefix)) {
    throw new CodedError('INVALID_ARGUMENT', 'bookmark: does not belong to this query; pass the bookmark returned by its previous page');
  }
  const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
    objectType,
    [...attributes],
    request.pageSize,
    request.bookmark,
  );
  const entries: KeyedValue[] = [];
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const { key, value } = next.value;
      entries.push({ key, attributes: ctx.stub.splitCompositeKey(key).attributes, value });
    }
  } finally {
    await iterator.close();
  }
  // fabric-shim leaves `metadata` undefined when the peer's metadata is all defaults (an empty page).
  const meta = metadata as typeof metadata | undefined;
  return { entries, bookmark: meta?.bookmark ?? '', fetched: meta?.fetchedRecordsCount ?? entries.length };
}

/**
 * Reads a page and turns each key into a record with `load` (which may read
 * the primary record an index key points at, or return `undefined` to skip).
 */
export async function readPage<T>(
  ctx: Context,
  objectType: ObjectType,
  attributes: readonly string[],
  request: PageRequest,
  load: (entry: KeyedValue) => Promise<T | undefined>,
): Promise<Page<T>> {
  const page = await readKeyPage(ctx, objectType, attributes, request);
  const records: T[] = [];
  for (const entry of page.entries) {
    const record = await load(entry);
    if (record !== undefined) records.push(record);
  }
  return { records, bookmark: page.bookmark, fetched: page.fetched };
}

/** Most keys {@link readAllKeys} follows, as a bound on any one query's work. */
export const MAX_KEYS_PER_QUERY = 10_000;

/**
 * Reads every key of a small, naturally bounded range (a city's keys, an
 * entry's objections, the agreements of two cities) page by page, stopping
 * after `limit` keys.
 */
export async function readAllKeys(
  ctx: Context,
  objectType: ObjectType,
  attributes: readonly string[],
  limit = MAX_KEYS_PER_QUERY,
): Promise<KeyedValue[]> {
  const all: KeyedValue[] = [];
  let bookmark = '';
  do {
    const pageSize = Math.min(MAX_PAGE_SIZE, limit - all.length);
    const page = await readKeyPage(ctx, objectType, attributes, { pageSize, bookmark });
    all.push(...page.entries);
    bookmark = page.bookmark;
  } while (bookmark !== '' && all.length < limit);
  return all;
}
