import { expandRow, LEDGER_EVENTS, type ChunkedEvaluation, type CityId, type EvaluationChunkRecord, type EvaluationRow } from '@jcc/domain';
import { padNumber } from '../lib/ordered-key.js';
import type { Store } from '../store/store.js';
import { prefixRange, type Table, type WriteOp } from '../store/table.js';
import { evaluationOrderKeys } from './list-projections.js';
import type { ListTables } from './list-tables.js';
import type { LedgerEvent } from './projections.js';

/**
 * The gateway's index of evaluation chunks (评价结果分块), built from the
 * `EvaluationChunkRecorded` events of the blocks and the chunks they name:
 * every record by city and id, and every subject's records. The ledger holds
 * no subject index of chunked evaluations; each gateway keeps its own, so no
 * city can delete or hide an entry of another's.
 *
 * A record id is the first record with that id in ledger order: a later
 * chunk repeating an id (a re-upload cut differently) adds nothing.
 */

/** A chunked evaluation as the index keeps it: the record and where it is anchored. */
export interface IndexedChunkedEvaluation extends ChunkedEvaluation {
  chunkId: string;
  /** Position of the record in its chunk (its Merkle leaf index). */
  leafIndex: number;
  txId: string;
  blockNumber: number;
  recordedAt: string;
}

/** A chunk as the index keeps it (without its rows). */
export interface IndexedChunk {
  city: CityId;
  chunkId: string;
  count: number;
  /** Records of the chunk the index took (the others repeat an id recorded before). */
  indexed: number;
  txId: string;
  blockNumber: number;
  recordedAt: string;
}

/** The tables of the chunked evaluations. */
export interface EvaluationChunkTables {
  /** `<city>|<chunkId>` → the chunk. */
  evaluationChunks: Table<IndexedChunk>;
  /** `<city>|<id>` → the record. */
  chunkedEvaluations: Table<IndexedChunkedEvaluation>;
  /** `<subjectPseudonym>|<block>|<city>|<id>` → 1. */
  chunkedEvaluationsBySubject: Table<1>;
}

/** Opens the tables of the chunked evaluations. */
export function evaluationChunkTables(store: Store): EvaluationChunkTables {
  return {
    evaluationChunks: store.table('ix.evChunks'),
    chunkedEvaluations: store.table('ix.evChunked'),
    chunkedEvaluationsBySubject: store.table('ix.evChunkedBySubject'),
  };
}

/** Reads a chunk from this gateway's own peer (`evaluations:GetEvaluationChunk`). */
export type ChunkLoader = (city: CityId, chunkId: string) => Promise<EvaluationChunkRecord>;

/** The index writes of an `EvaluationChunkRecorded` event (none for any other event). */
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
  const chunk = await load(city, chunkId);
  // The chunk read must be the one the event names (the genuine chaincode on this city's peer).
  if (chunk.city !== city || chunk.chunkId !== chunkId) return [];
  const ids = chunk.rows.map((row) => `${city}|${row[0]}`);
  const known = await tables.chunkedEvaluations.getMany(ids);
  const ops: WriteOp[] = [];
  const block = padNumber(event.blockNumber);
  let indexed = 0;
  chunk.rows.forEach((row: EvaluationRow, leafIndex) => {
    if (known[leafIndex]) return;
    const record: IndexedChunkedEvaluation = {
      ...expandRow(city, chunk, row),
      chunkId,
      leafIndex,
      txId: chunk.txId,
      blockNumber: event.blockNumber,
      recordedAt: chunk.recordedAt,
    };
    indexed++;
    ops.push(
      tables.chunkedEvaluations.putOp(ids[leafIndex]!, record),
      tables.chunkedEvaluationsBySubject.putOp(`${record.subjectPseudonym}|${block}|${city}|${record.id}`, 1),
      // Listed with the other evaluations (GET /api/v1/evaluations).
      ...evaluationOrderKeys(city, record.id, event.blockNumber).map((k) => tables.evaluationOrder.putOp(k, ids[leafIndex]!)),
    );
  });
  ops.push(
    tables.evaluationChunks.putOp(chunkKey, {
      city,
      chunkId,
      count: chunk.count,
      indexed,
      txId: chunk.txId,
      blockNumber: event.blockNumber,
      recordedAt: chunk.recordedAt,
    }),
  );
  return ops;
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
 */
export async function evaluationsOfSubject(
  tables: EvaluationChunkTables,
  subjectPseudonym: string,
  limit: number,
): Promise<{ records: SubjectEvaluation[]; truncated: boolean }> {
  const keys: string[] = [];
  for await (const key of tables.chunkedEvaluationsBySubject.keys({ ...prefixRange(`${subjectPseudonym}|`), limit: limit + 1 }))
    keys.push(key);
  const truncated = keys.length > limit;
  const recordKeys = keys.slice(0, limit).map((k) => k.split('|').slice(2).join('|'));
  const found = (await tables.chunkedEvaluations.getMany(recordKeys)).filter((r): r is IndexedChunkedEvaluation => r !== undefined);
  const supersededBy = new Map<string, string>();
  for (const r of found) if (r.supersedes) supersededBy.set(`${r.city}|${r.supersedes}`, r.id);
  const records = found.map((r): SubjectEvaluation => {
    const by = supersededBy.get(`${r.city}|${r.id}`);
    const state = r.withdrawn ? 'withdrawal' : by ? 'superseded' : 'current';
    return by ? { ...r, state, supersededBy: by } : { ...r, state };
  });
  return { records, truncated };
}
