import { createHash } from 'node:crypto';
import * as z from 'zod';
import { canonicalJson } from '../canonicalJson.js';
import type { CityId } from '../cities.js';
import { sha256Hex } from '../hash.js';
import { LEAF_SCHEME } from '../merkle/hashing.js';
import { MerkleBatch } from '../merkle/tree.js';
import type { InclusionProof } from '../merkle/proof.js';
import type { EvaluationRecord } from './records.js';
import { cityIdField, dateField, expected, pseudonymField, recordIdField, sha256HexField, timestampField } from './fields.js';

/**
 * Evaluation chunks (评价结果分块): the bulk form of credit evaluations. One
 * chunk holds up to {@link MAX_CHUNK_EVALUATIONS} evaluations of one city
 * that share a scheme, period and validity, in a compact row form, stored
 * under one owner-protected state key and identified by the RFC 9162 Merkle
 * root of its records (so the same content is always the same chunk, and
 * one record is proven by an inclusion path to that root).
 */

/** Most evaluations in one chunk (a chunk of 4,000 rows is about 0.8 MB, well inside Fabric's 10 MB block limit). */
export const MAX_CHUNK_EVALUATIONS = 4000;

/** Marks a row that withdraws the record it supersedes (撤销). */
export const WITHDRAWN = 'withdrawn';

const schemeField = z.string({ error: expected('a string') }).regex(/^[A-Za-z0-9._-]{1,64}$/, {
  error: 'must be 1-64 characters of A-Z a-z 0-9 . _ -',
});
const gradeField = z.string({ error: expected('a string') }).regex(/^[A-Z][A-Za-z0-9+-]{0,7}$/, {
  error: 'must be 1-8 characters, starting with an upper-case letter, then letters, digits, + or -',
});

/**
 * One row of a chunk: `[id, subjectPseudonym, grade, evidenceHash]`,
 * optionally followed by the id of the record of the same city it
 * supersedes (a correction), and then `"withdrawn"` for a withdrawal.
 */
export const evaluationRowField = z.tuple([
  recordIdField,
  pseudonymField,
  gradeField,
  sha256HexField,
  recordIdField.optional(),
  z.literal(WITHDRAWN).optional(),
]);

/** A parsed chunk row. */
export type EvaluationRow = z.output<typeof evaluationRowField>;

/** `evaluations:RecordEvaluationChunk`: evaluations sharing scheme, period and validity, with distinct ids. */
export const recordEvaluationChunkInput = z
  .strictObject({
    scheme: schemeField,
    periodStart: dateField,
    periodEnd: dateField,
    validUntil: timestampField,
    rows: z
      .array(evaluationRowField, { error: expected('an array of rows') })
      .min(1, { error: 'must have at least one row' })
      .max(MAX_CHUNK_EVALUATIONS, { error: `must have at most ${MAX_CHUNK_EVALUATIONS} rows` }),
  })
  .superRefine((input, ctx) => {
    if (typeof input.periodStart === 'string' && typeof input.periodEnd === 'string' && input.periodStart > input.periodEnd)
      ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'must not be before periodStart', input: input.periodEnd });
    if (typeof input.validUntil === 'string' && input.validUntil.slice(0, 10) < input.periodEnd)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'must not be before periodEnd', input: input.validUntil });
    const seen = new Map<string, number>();
    input.rows.forEach((row, index) => {
      const first = seen.get(row[0]);
      if (first === undefined) seen.set(row[0], index);
      else ctx.addIssue({ code: 'custom', path: ['rows', index, 0], message: `repeats the id of rows[${first}]`, input: row[0] });
      if (row[5] === WITHDRAWN && row[4] === undefined)
        ctx.addIssue({ code: 'custom', path: ['rows', index, 5], message: 'a withdrawal must name the record it supersedes', input: row });
      if (row[4] === row[0])
        ctx.addIssue({ code: 'custom', path: ['rows', index, 4], message: 'a record cannot supersede itself', input: row });
    });
  });

/** The parsed input of `RecordEvaluationChunk`. */
export type RecordEvaluationChunkInput = z.output<typeof recordEvaluationChunkInput>;

/** `evaluations:GetEvaluationChunk`. */
export const getEvaluationChunkInput = z.strictObject({ city: cityIdField, chunkId: sha256HexField });

/**
 * A chunk with its rows, as its `EvaluationChunkRecorded` event carries it
 * (readers index the rows from the event; the state key holds the chunk
 * without them) and as readers index it.
 */
export interface EvaluationChunkRecord extends RecordEvaluationChunkInput {
  city: CityId;
  /** The Merkle root of the chunk's records (RFC 9162, SHA-256), hex: also the chunk's id. */
  chunkId: string;
  leafScheme: typeof LEAF_SCHEME;
  count: number;
  recordedAt: string;
  txId: string;
}

/**
 * A chunk as its state key `evaluationChunk [city, chunkId]` holds it: the
 * chunk without its rows (the owner-protected, sealed commitment: its id is
 * the Merkle root of the rows). Chunks recorded before the rows moved to the
 * event keep them here too.
 */
export type StoredEvaluationChunk = Omit<EvaluationChunkRecord, 'rows'> & { rows?: EvaluationRow[] };

/**
 * One evaluation of a chunk, expanded: what its Merkle leaf commits to. A
 * leaf's document hash is the SHA-256 of this object's canonical JSON.
 */
export interface ChunkedEvaluation extends Omit<EvaluationRecord, 'recordedAt' | 'txId'> {
  /** The id of the record (same city) this one corrects or withdraws. */
  supersedes?: string;
  /** True when this record withdraws the one it supersedes. */
  withdrawn?: true;
}

/** The records of a chunk, in row order. */
export function expandChunk(city: CityId, chunk: RecordEvaluationChunkInput): ChunkedEvaluation[] {
  return chunk.rows.map((row) => expandRow(city, chunk, row));
}

/** One row of a chunk as a full record. */
export function expandRow(
  city: CityId,
  chunk: Pick<RecordEvaluationChunkInput, 'scheme' | 'periodStart' | 'periodEnd' | 'validUntil'>,
  row: EvaluationRow,
): ChunkedEvaluation {
  // Members in code-unit order, so that JSON.stringify gives the canonical JSON (RFC 8785) the leaf hashes:
  // every value is a string of a restricted alphabet or `true`.
  const record: ChunkedEvaluation = {
    city,
    evidenceHash: row[3],
    grade: row[2],
    id: row[0],
    periodEnd: chunk.periodEnd,
    periodStart: chunk.periodStart,
    scheme: chunk.scheme,
    subjectPseudonym: row[1],
    ...(row[4] !== undefined ? { supersedes: row[4] } : {}),
    validUntil: chunk.validUntil,
    ...(row[5] === WITHDRAWN ? { withdrawn: true as const } : {}),
  };
  return record;
}

/** The document hash a record's Merkle leaf is built from: SHA-256 of its canonical JSON (RFC 8785), hex. */
export function evaluationRecordHash(record: ChunkedEvaluation): string {
  return sha256Hex(canonicalJson(record));
}

/** {@link evaluationRecordHash} of a record made by {@link expandRow} (its members are in canonical order already). */
function expandedRecordHash(record: ChunkedEvaluation): Buffer {
  return createHash('sha256').update(JSON.stringify(record)).digest();
}

/** The Merkle tree (RFC 9162, SHA-256) of a chunk's records. */
export function chunkTree(city: CityId, chunk: RecordEvaluationChunkInput): MerkleBatch {
  return new MerkleBatch(expandChunk(city, chunk).map(expandedRecordHash));
}

/** The id of a chunk: the Merkle root of its records, hex. */
export function chunkIdOf(city: CityId, chunk: RecordEvaluationChunkInput): string {
  return chunkTree(city, chunk).rootHex;
}

/** The inclusion proof of row `index` of a chunk, to the chunk's root (= its id). */
export function chunkProof(city: CityId, chunk: RecordEvaluationChunkInput, index: number): Omit<InclusionProof, 'txId' | 'blockNumber'> {
  return chunkTree(city, chunk).proof(index);
}
