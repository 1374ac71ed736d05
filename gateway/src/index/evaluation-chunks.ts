import {
  expandRow,
  LEDGER_EVENTS,
  WITHDRAWN,
  type ChunkedEvaluation,
  type CityId,
  type EvaluationChunkRecord,
  type EvaluationRow,
} from '@jcc/domain';
import { yieldToEventLoop } from '../lib/time.js';
import { padNumber } from '../lib/ordered-key.js';
import type { Store } from '../store/store.js';
import { prefixRange, type Table, type WriteOp } from '../store/table.js';
import { evaluationOrderKeys } from './list-projections.js';
import type { ListTables } from './list-tables.js';
import type { LedgerEvent } from './projections.js';

/**
 * The gateway's index of evaluation chunks (评价结果分块), built from the
 * `EvaluationChunkRecorded` events of the blocks and the chunks they name.
 * The ledger holds no subject index of chunked evaluations; each gateway
 * keeps its own, so no city can delete or hide an entry of another's.
 *
 * The index is written per chunk, not per record: the chunk's fields once,
 * its rows in columns (one value), and its rows grouped by subject bucket
 * (one value per bucket the chunk touches, {@link SUBJECT_BUCKETS} buckets by
 * the pseudonym's first hex digits), so a look-up reads one small value per
 * chunk of its bucket. The list order names the chunk once (a group entry,
 * {@link chunkGroupKey}). Besides, each record has one small key naming its
 * chunk and leaf, for reading one record by id.
 *
 * A record id is the first record with that id in ledger order: a later
 * chunk repeating an id (a re-upload cut differently) adds nothing.
 */

/** A chunked evaluation as the index answers it: the record and where it is anchored. */
export interface IndexedChunkedEvaluation extends ChunkedEvaluation {
  chunkId: string;
  /** Position of the record in its chunk (its Merkle leaf index). */
  leafIndex: number;
  txId: string;
  blockNumber: number;
  recordedAt: string;
}

/** A chunk as the index keeps it: its shared fields, without its rows. */
export interface IndexedChunk {
  city: CityId;
  chunkId: string;
  count: number;
  /** Records of the chunk the index took (the others repeat an id recorded before). */
  indexed: number;
  txId: string;
  blockNumber: number;
  recordedAt: string;
  scheme: string;
  periodStart: string;
  periodEnd: string;
  validUntil: string;
}

/** The rows of a chunk in columns, in leaf order. */
export interface ChunkColumns {
  ids: string[];
  subjects: string[];
  grades: string[];
  evidenceHashes: string[];
  /** `[leaf, id]` of each row that supersedes an earlier record. */
  supersedes: Array<[number, string]>;
  /** Leaves of the rows that withdraw the record they supersede. */
  withdrawn: number[];
  /** Leaves the index did not take (their id was recorded by an earlier chunk). */
  skipped: number[];
}

/** One record of a subject bucket: its leaf and its row. */
export type BucketEntry = [leaf: number, row: EvaluationRow];

/** Number of subject buckets (by the first hex digits of the pseudonym). */
export const SUBJECT_BUCKETS = 1024;

/** Rows applied between two yields to the event loop, so look-ups are answered while a chunk is indexed. */
export const ROWS_PER_SLICE = 500;

/** The tables of the chunked evaluations. */
export interface EvaluationChunkTables {
  /** `<city>|<chunkId>` → the chunk's shared fields. */
  evaluationChunks: Table<IndexedChunk>;
  /** `<city>|<chunkId>` → the chunk's rows. */
  evaluationChunkColumns: Table<ChunkColumns>;
  /** `<city>|<id>` → `<chunkId>:<leaf>`. */
  chunkedEvaluations: Table<string>;
  /** `<bucket>|<block>|<city>|<chunkId>` → the chunk's records of subjects in the bucket. */
  chunkedEvaluationsBySubject: Table<BucketEntry[]>;
}

/** Opens the tables of the chunked evaluations. */
export function evaluationChunkTables(store: Store): EvaluationChunkTables {
  return {
    evaluationChunks: store.table('ix.evChunks'),
    evaluationChunkColumns: store.table('ix.evChunkColumns'),
    chunkedEvaluations: store.table('ix.evChunked'),
    chunkedEvaluationsBySubject: store.table('ix.evChunkedBySubject'),
  };
}

/** Marks a chunk in the list order (`#` is not a character of record ids). */
const CHUNK_MARK = '#';

/** The primary key under which the list order names a whole chunk: `<city>|#<chunkId>`. */
export function chunkGroupKey(city: CityId, chunkId: string): string {
  return `${city}|${CHUNK_MARK}${chunkId}`;
}

/** True for a key made by {@link chunkGroupKey}. */
export function isChunkGroupKey(key: string): boolean {
  return key.includes(`|${CHUNK_MARK}`);
}

/** The subject bucket of a pseudonym (`ps1-` and 64 hex digits), as a key part. */
export function subjectBucket(pseudonym: string): string {
  const n = Number.parseInt(pseudonym.slice(4, 7), 16);
  return String(Number.isNaN(n) ? 0 : Math.floor((n * SUBJECT_BUCKETS) / 4096)).padStart(4, '0');
}

/**
 * Reads a chunk recorded before the rows moved to its event from this
 * gateway's own peer (`evaluations:GetEvaluationChunk`); undefined when the
 * peer does not return it: a chunk other cities created in the city's name
 * carries no seal of the city, and counts for nothing.
 */
export type ChunkLoader = (city: CityId, chunkId: string) => Promise<EvaluationChunkRecord | undefined>;

/**
 * The index writes of an `EvaluationChunkRecorded` event (none for any other
 * event). The rows are gone through in slices of {@link ROWS_PER_SLICE},
 * yielding to the event loop between them.
 */
export async function projectEvaluationChunk(
  tables: EvaluationChunkTables & Pick<ListTables, 'evaluationOrder'>,
  event: LedgerEvent,
  load: ChunkLoader,
): Promise<WriteOp[]> {
  if (event.name !== LEDGER_EVENTS.evaluationChunkRecorded) return [];
  const city = String(event.payload.city) as CityId;
  const chunkId = String(event.payload.chunkId);
  const chunkKey = `${city}|${chunkId}`;
  if (await tables.evaluationChunks.get(chunkKey)) return [];
  // The event carries the whole chunk (sealed as the city's, like every event the index applies); chunks
  // recorded before the rows moved to the event are read from the peer.
  const chunk = Array.isArray(event.payload.rows) ? (event.payload as unknown as EvaluationChunkRecord) : await load(city, chunkId);
  // The chunk read must be the one the event names (the genuine chaincode on this city's peer), sealed by the city.
  if (!chunk || chunk.city !== city || chunk.chunkId !== chunkId || !Array.isArray(chunk.rows)) return [];
  const rows = chunk.rows;
  const ids = rows.map((row) => `${city}|${row[0]}`);
  const known = await tables.chunkedEvaluations.getMany(ids);
  const ops: WriteOp[] = [];
  const block = padNumber(event.blockNumber);
  const columns: ChunkColumns = { ids: [], subjects: [], grades: [], evidenceHashes: [], supersedes: [], withdrawn: [], skipped: [] };
  const buckets = new Map<string, BucketEntry[]>();
  for (let leaf = 0; leaf < rows.length; leaf++) {
    if (leaf > 0 && leaf % ROWS_PER_SLICE === 0) await yieldToEventLoop();
    const row = rows[leaf]!;
    columns.ids.push(row[0]);
    columns.subjects.push(row[1]);
    columns.grades.push(row[2]);
    columns.evidenceHashes.push(row[3]);
    if (row[4] !== undefined) columns.supersedes.push([leaf, row[4]]);
    if (row[5] === WITHDRAWN) columns.withdrawn.push(leaf);
    if (known[leaf] !== undefined) {
      columns.skipped.push(leaf);
      continue;
    }
    const bucket = subjectBucket(row[1]);
    let entries = buckets.get(bucket);
    if (!entries) buckets.set(bucket, (entries = []));
    entries.push([leaf, row]);
    ops.push(tables.chunkedEvaluations.putOp(ids[leaf]!, `${chunkId}:${leaf}`));
  }
  // Listed with the other evaluations (GET /api/v1/evaluations): the chunk's records as one group entry.
  for (const k of evaluationOrderKeys(city, `${CHUNK_MARK}${chunkId}`, event.blockNumber))
    ops.push(tables.evaluationOrder.putOp(k, chunkGroupKey(city, chunkId)));
  for (const [bucket, entries] of buckets) ops.push(tables.chunkedEvaluationsBySubject.putOp(`${bucket}|${block}|${chunkKey}`, entries));
  ops.push(
    tables.evaluationChunkColumns.putOp(chunkKey, columns),
    tables.evaluationChunks.putOp(chunkKey, {
      city,
      chunkId,
      count: chunk.count,
      indexed: rows.length - columns.skipped.length,
      txId: chunk.txId,
      blockNumber: event.blockNumber,
      recordedAt: chunk.recordedAt,
      scheme: chunk.scheme,
      periodStart: chunk.periodStart,
      periodEnd: chunk.periodEnd,
      validUntil: chunk.validUntil,
    }),
  );
  return ops;
}

/**
 * A reader of a chunk's rows: the row at a leaf, with its correction marks
 * looked up in maps built once per chunk (a chunk of corrections has as many
 * marks as rows).
 */
export function rowsOf(columns: ChunkColumns): (leaf: number) => EvaluationRow {
  const supersedes = new Map(columns.supersedes);
  const withdrawn = new Set(columns.withdrawn);
  return (leaf) => {
    const row: EvaluationRow = [columns.ids[leaf]!, columns.subjects[leaf]!, columns.grades[leaf]!, columns.evidenceHashes[leaf]!];
    const replaced = supersedes.get(leaf);
    if (replaced !== undefined) row.push(replaced);
    if (withdrawn.has(leaf)) row.push(WITHDRAWN);
    return row;
  };
}

/** Every row of chunk `chunkId` of `city`, in leaf order; `undefined` when the index does not hold the chunk. */
export async function chunkRowsOf(tables: EvaluationChunkTables, city: CityId, chunkId: string): Promise<EvaluationRow[] | undefined> {
  const columns = await tables.evaluationChunkColumns.get(`${city}|${chunkId}`);
  if (!columns) return undefined;
  const row = rowsOf(columns);
  return columns.ids.map((_, leaf) => row(leaf));
}

/** The record a chunk's row is, with where it is anchored. */
function indexedRecord(chunk: IndexedChunk, row: EvaluationRow, leafIndex: number): IndexedChunkedEvaluation {
  return {
    ...expandRow(chunk.city, chunk, row),
    chunkId: chunk.chunkId,
    leafIndex,
    txId: chunk.txId,
    blockNumber: chunk.blockNumber,
    recordedAt: chunk.recordedAt,
  };
}

/**
 * The chunked evaluations under `keys` (`<city>|<id>`), `undefined` where
 * the index has none; each chunk involved is read once.
 */
export async function chunkedEvaluationsOf(
  tables: EvaluationChunkTables,
  keys: readonly string[],
): Promise<Array<IndexedChunkedEvaluation | undefined>> {
  const refs = await tables.chunkedEvaluations.getMany([...keys]);
  const located = refs.map((ref, i) => {
    if (ref === undefined) return undefined;
    const colon = ref.lastIndexOf(':');
    const city = keys[i]!.slice(0, keys[i]!.indexOf('|'));
    return { chunkKey: `${city}|${ref.slice(0, colon)}`, leaf: Number(ref.slice(colon + 1)) };
  });
  const chunkKeys = [...new Set(located.flatMap((l) => (l ? [l.chunkKey] : [])))];
  const [headers, columns] = await Promise.all([
    tables.evaluationChunks.getMany(chunkKeys),
    tables.evaluationChunkColumns.getMany(chunkKeys),
  ]);
  const byKey = new Map(chunkKeys.map((k, i) => [k, { header: headers[i], row: columns[i] && rowsOf(columns[i]) }]));
  return located.map((l) => {
    const found = l && byKey.get(l.chunkKey);
    if (!l || !found?.header || !found.row) return undefined;
    return indexedRecord(found.header, found.row(l.leaf), l.leaf);
  });
}

/**
 * The records of the chunks under `groupKeys` ({@link chunkGroupKey}), each
 * in leaf order without the rows the index did not take; `undefined` for a
 * chunk the index does not hold. Each chunk's columns are one read.
 */
export async function recordsOfChunks(
  tables: EvaluationChunkTables,
  groupKeys: readonly string[],
): Promise<Array<IndexedChunkedEvaluation[] | undefined>> {
  const chunkKeys = groupKeys.map((k) => k.replace(`|${CHUNK_MARK}`, '|'));
  const [headers, columns] = await Promise.all([
    tables.evaluationChunks.getMany(chunkKeys),
    tables.evaluationChunkColumns.getMany(chunkKeys),
  ]);
  return chunkKeys.map((_, i) => {
    const header = headers[i];
    const cols = columns[i];
    if (!header || !cols) return undefined;
    const skipped = new Set(cols.skipped);
    const out: IndexedChunkedEvaluation[] = [];
    const row = rowsOf(cols);
    for (let leaf = 0; leaf < cols.ids.length; leaf++) if (!skipped.has(leaf)) out.push(indexedRecord(header, row(leaf), leaf));
    return out;
  });
}

/** A subject's chunked evaluation with what became of it. */
export interface SubjectEvaluation extends IndexedChunkedEvaluation {
  /** `current`: in force; `superseded`: a later record corrects or withdraws it; `withdrawal`: a record withdrawing another. */
  state: 'current' | 'superseded' | 'withdrawal';
  /** The id of the record that supersedes this one. */
  supersededBy?: string;
}

/**
 * A subject's chunked evaluations in all cities, oldest first, each marked
 * current or superseded (history is kept: nothing is dropped), up to `limit`.
 * Reads the subject's bucket: one small value per chunk with records of
 * subjects in that bucket.
 */
export async function evaluationsOfSubject(
  tables: EvaluationChunkTables,
  subjectPseudonym: string,
  limit: number,
): Promise<{ records: SubjectEvaluation[]; truncated: boolean }> {
  const matches: Array<{ chunkKey: string; leaf: number; row: EvaluationRow }> = [];
  scan: for await (const [key, entries] of tables.chunkedEvaluationsBySubject.entries(prefixRange(`${subjectBucket(subjectPseudonym)}|`))) {
    for (const [leaf, row] of entries) {
      if (row[1] !== subjectPseudonym) continue;
      matches.push({ chunkKey: key.slice(key.indexOf('|', key.indexOf('|') + 1) + 1), leaf, row });
      if (matches.length > limit) break scan;
    }
  }
  const truncated = matches.length > limit;
  const kept = matches.slice(0, limit);
  const chunkKeys = [...new Set(kept.map((m) => m.chunkKey))];
  const headers = new Map(chunkKeys.map((k, i) => [k, i]));
  const read = await tables.evaluationChunks.getMany(chunkKeys);
  const found = kept.flatMap((m) => {
    const header = read[headers.get(m.chunkKey)!];
    return header ? [indexedRecord(header, m.row, m.leaf)] : [];
  });
  const supersededBy = new Map<string, string>();
  for (const r of found) if (r.supersedes) supersededBy.set(`${r.city}|${r.supersedes}`, r.id);
  const records = found.map((r): SubjectEvaluation => {
    const by = supersededBy.get(`${r.city}|${r.id}`);
    const state = r.withdrawn ? 'withdrawal' : by ? 'superseded' : 'current';
    return by ? { ...r, state, supersededBy: by } : { ...r, state };
  });
  return { records, truncated };
}
