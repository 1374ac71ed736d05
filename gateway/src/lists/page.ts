import { canonicalJson, sha256Hex } from '@jcc/domain';
import { HttpProblem } from '../http/problem.js';
import type { Table } from '../store/table.js';

/** Most sort-index keys one page reads before it answers (with a bookmark to go on), however selective the filters. */
export const MAX_KEYS_SCANNED = 5000;

/** A bookmark that does not belong to the list it was sent to. */
export class InvalidBookmarkError extends HttpProblem {
  constructor(detail: string) {
    super(400, 'invalid-bookmark', 'Invalid bookmark', detail, { code: 'INVALID_ARGUMENT' });
  }
}

/**
 * What a bookmark holds: the last sort key served, a fingerprint of the
 * list's scope and filters, and for a group entry left in the middle, how
 * many of its records were passed.
 */
interface BookmarkContent {
  k: string;
  f: string;
  i?: number;
}

/** The fingerprint of a list's scope and filters (everything but page size and bookmark). */
export function filterFingerprint(list: string, filters: Record<string, unknown>): string {
  const kept = Object.fromEntries(Object.entries(filters).filter(([k, v]) => v !== undefined && k !== 'bookmark' && k !== 'pageSize'));
  return sha256Hex(canonicalJson({ list, ...kept })).slice(0, 16);
}

/** An opaque bookmark: base64url of `{k, f}` (and `i`, records of group `k` passed). */
export function encodeBookmark(lastKey: string, fingerprint: string, within?: number): string {
  const content: BookmarkContent = within === undefined ? { k: lastKey, f: fingerprint } : { k: lastKey, f: fingerprint, i: within };
  return Buffer.from(JSON.stringify(content)).toString('base64url');
}

/**
 * The last sort key a bookmark names.
 *
 * @throws InvalidBookmarkError when it is malformed or was returned by a list with other filters.
 */
export function decodeBookmark(bookmark: string, fingerprint: string): string {
  return decodePosition(bookmark, fingerprint).key;
}

/** The position a bookmark names: the sort key, and the records of that group entry passed (0: the entry was finished). */
function decodePosition(bookmark: string, fingerprint: string): { key: string; within: number } {
  let content: Partial<BookmarkContent>;
  try {
    content = JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8')) as Partial<BookmarkContent>;
  } catch {
    throw new InvalidBookmarkError('bookmark: not a bookmark of this gateway; pass the bookmark returned by the previous page');
  }
  if (
    typeof content.k !== 'string' ||
    typeof content.f !== 'string' ||
    (content.i !== undefined && (!Number.isSafeInteger(content.i) || content.i < 1))
  )
    throw new InvalidBookmarkError('bookmark: not a bookmark of this gateway; pass the bookmark returned by the previous page');
  if (content.f !== fingerprint)
    throw new InvalidBookmarkError(
      'bookmark: it belongs to a list with other filters; repeat the same filters or start without a bookmark',
    );
  return { key: content.k, within: content.i ?? 0 };
}

/** What {@link readPage} reads. */
export interface PageRequest<V> {
  /** The sort index: keys in list order, values the primary keys of the records. */
  order: Table<string>;
  /** The scope of the list within the sort index (e.g. `c:qingdao|`). */
  prefix: string;
  /** Inclusive bounds of the part of the key after the prefix (e.g. a date range); default the whole scope. */
  from?: string;
  to?: string;
  /** Newest (greatest key) first. */
  descending: boolean;
  /** The fingerprint of the list's filters, tying bookmarks to them. */
  fingerprint: string;
  bookmark?: string;
  pageSize: number;
  /**
   * Reads a record by primary key (and may complete it). A group entry
   * (see {@link PageRequest.isGroup}) reads as the array of its records in
   * ascending list order.
   */
  load(primaryKeys: string[]): Promise<Array<V | V[] | undefined>>;
  /**
   * True for a primary key that stands for several records (e.g. a chunk of
   * evaluations): it is read on its own, and its records count towards
   * {@link MAX_KEYS_SCANNED}.
   */
  isGroup?(primaryKey: string): boolean;
  /** Whether a record belongs in the list (the filters the key range does not express). */
  accept(record: V): boolean;
}

/** A page: the records and the bookmark of the next page (empty after the last). */
export interface PageResult<V> {
  records: V[];
  bookmark: string;
}

/**
 * One page of a list served from a sort index: the keys of the scope (and
 * range) in order, after the bookmark's key, loaded in chunks and filtered,
 * until the page is full. Because keys are unique and their order is total,
 * following the bookmarks visits every record of the list once, with no
 * duplicates and no omissions, while records are added (a record added
 * behind the bookmark shows on a fresh list, not on a later page).
 */
export async function readPage<V>(request: PageRequest<V>): Promise<PageResult<V>> {
  const { prefix } = request;
  const position = request.bookmark ? decodePosition(request.bookmark, request.fingerprint) : undefined;
  const after = position?.key;
  if (after !== undefined && !after.startsWith(prefix)) throw new InvalidBookmarkError('bookmark: does not belong to this list');
  // A group left in the middle is read again, from the record after the last one passed.
  const resume = position && position.within > 0 ? position : undefined;
  const lower = prefix + (request.from ?? '');
  const upper = prefix + (request.to ?? '') + '\uffff';
  const range = request.descending
    ? {
        gte: lower,
        ...(after !== undefined && after < upper ? (resume ? { lte: after } : { lt: after }) : { lt: upper }),
        reverse: true,
      }
    : {
        ...(after !== undefined && after >= lower ? (resume ? { gte: after } : { gt: after }) : { gte: lower }),
        lt: upper,
      };
  const records: V[] = [];
  let scanned = 0;
  let lastKey: string | undefined;
  /** Records of group `lastKey` passed when the page filled in its middle. */
  let within: number | undefined;
  let chunk: Array<[string, string]> = [];
  const flush = async (): Promise<boolean> => {
    const values = await request.load(chunk.map(([, primary]) => primary));
    for (let i = 0; i < chunk.length; i++) {
      const value = values[i];
      const key = chunk[i]![0];
      lastKey = key;
      if (Array.isArray(value)) {
        const items = request.descending ? [...value].reverse() : value;
        const start = resume && key === resume.key ? resume.within : 0;
        scanned += Math.max(items.length - start - 1, 0);
        for (let j = start; j < items.length; j++) {
          if (request.accept(items[j]!)) records.push(items[j]!);
          if (records.length >= request.pageSize && j + 1 < items.length) {
            within = j + 1;
            chunk = [];
            return true;
          }
        }
      } else if (value !== undefined && request.accept(value)) records.push(value);
      if (records.length >= request.pageSize) {
        chunk = [];
        return true;
      }
    }
    chunk = [];
    return false;
  };
  let exhausted = true;
  for await (const entry of request.order.entries(range)) {
    const group = request.isGroup?.(entry[1]) === true;
    // A group is read on its own.
    if (group && chunk.length > 0 && (await flush())) {
      exhausted = false;
      break;
    }
    chunk.push(entry);
    scanned++;
    if (group || chunk.length >= Math.max(request.pageSize, 50) || scanned >= MAX_KEYS_SCANNED) {
      if ((await flush()) || scanned >= MAX_KEYS_SCANNED) {
        exhausted = false;
        break;
      }
    }
  }
  if (exhausted && chunk.length > 0 && (await flush())) exhausted = false;
  if (within !== undefined && lastKey !== undefined) return { records, bookmark: encodeBookmark(lastKey, request.fingerprint, within) };
  // A full page ends the iteration early: there may be more. An exhausted range has none.
  const more = !exhausted && lastKey !== undefined && (await hasKeyBeyond(request, range, lastKey));
  return { records, bookmark: more && lastKey !== undefined ? encodeBookmark(lastKey, request.fingerprint) : '' };
}

async function hasKeyBeyond<V>(
  request: PageRequest<V>,
  range: { gte?: string; gt?: string; lt?: string; reverse?: boolean },
  lastKey: string,
): Promise<boolean> {
  const next = request.descending ? { gte: range.gte, lt: lastKey, reverse: true, limit: 1 } : { gt: lastKey, lt: range.lt, limit: 1 };
  for await (const _key of request.order.keys(next)) return true;
  return false;
}
