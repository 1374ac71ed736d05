import { Context, Contract } from 'fabric-contract-api';
import {
  chunkIdOf,
  getEvaluationChunkInput,
  getEvaluationInput,
  LEAF_SCHEME,
  recordEvaluationChunkInput,
  type EvaluationChunkRecord,
  LEDGER_EVENTS,
  type StoredEvaluationChunk,
  queryEvaluationsBySubjectInput,
  recordEvaluationInput,
  recordEvaluationsInput,
  type City,
  type CityId,
  type EvaluationRecord,
  type RecordEvaluationInput,
} from '@jcc/domain';
import { Returns, Transaction } from '../lib/decorators.js';
import { emitEvent } from '../lib/events.js';
import { assertSameContent, found } from '../lib/guards.js';
import { parseInput } from '../lib/input.js';
import { compositeKey, OBJECT_TYPES } from '../lib/keys.js';
import { readPage } from '../lib/pagination.js';
import { jsonResult } from '../lib/result.js';
import { readSealedBytes, readSealedRecord, writeSealedRecord } from '../lib/seal.js';
import { decodeRecord, writeIndex } from '../lib/state.js';
import { submittingCity } from '../lib/submitter.js';
import { txTimestamp } from '../lib/txTime.js';

/** Fields of an evaluation that must match for a re-recording to be idempotent. */
const EVALUATION_CONTENT: readonly (keyof EvaluationRecord)[] = [
  'subjectPseudonym',
  'scheme',
  'grade',
  'periodStart',
  'periodEnd',
  'validUntil',
  'evidenceHash',
];

/** An evaluation input paired with what the ledger already holds under its id. */
interface PlannedEvaluation {
  input: RecordEvaluationInput;
  existing: EvaluationRecord | undefined;
}

/**
 * `evaluations`: credit evaluation results (信用评价) of subjects. History is
 * kept by id: a new evaluation of a subject is a new record; earlier ones stay.
 */
export class EvaluationsContract extends Contract {
  constructor() {
    super('evaluations');
  }

  /** Records one evaluation issued by the submitting city. Idempotent for the same content. */
  @Transaction()
  @Returns('string')
  async RecordEvaluation(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(recordEvaluationInput, inputJson);
    const [planned] = await planEvaluations(ctx, city, [input]);
    if (planned?.existing) return jsonResult(planned.existing);
    const record = await writeEvaluation(ctx, city, input);
    await emitEvent(ctx, LEDGER_EVENTS.evaluationRecorded, record, city.id);
    return jsonResult(record);
  }

  /**
   * Records 1-500 evaluations in one transaction, all or nothing. Each is
   * idempotent: ids already recorded with the same content are skipped (and
   * listed as `unchanged`); any id recorded with other content refuses the
   * whole transaction.
   */
  @Transaction()
  @Returns('string')
  async RecordEvaluations(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(recordEvaluationsInput, inputJson);
    const planned = await planEvaluations(ctx, city, input.records);
    const ids: string[] = [];
    const unchanged: string[] = [];
    for (const { input: item, existing } of planned) {
      if (existing) {
        unchanged.push(item.id);
        continue;
      }
      await writeEvaluation(ctx, city, item);
      ids.push(item.id);
    }
    if (ids.length > 0) await emitEvent(ctx, LEDGER_EVENTS.evaluationsRecorded, { count: ids.length, ids }, city.id);
    return jsonResult({ count: ids.length, ids, unchanged });
  }

  /**
   * Records a chunk of evaluations (see the chaincode README, "Evaluation
   * chunks"). The chunk's id is the Merkle root of its records, computed
   * here. The state key `evaluationChunk [city, chunkId]` holds the chunk
   * without its rows, under the submitting city's key-level endorsement
   * policy, and sealed (`lib/seal.ts`): the commitment no other set of
   * cities can alter or delete. The rows are in the
   * `EvaluationChunkRecorded` event (the whole chunk), sealed as the city's
   * like every event, from which every reader indexes them (and in the
   * transaction's input), not in the state. A chunk other
   * cities created in the city's name (no seal of the city) is written over.
   * Idempotent: the same content is the same chunk, and recording it again
   * writes and announces nothing.
   */
  @Transaction()
  @Returns('string')
  async RecordEvaluationChunk(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(recordEvaluationChunkInput, inputJson);
    const chunkId = chunkIdOf(city.id, input);
    const key = compositeKey(ctx, OBJECT_TYPES.evaluationChunk, [city.id, chunkId]);
    // A chunk the city recorded and sealed is the same chunk: nothing is written. One other cities created
    // in its name (no seal of the city) is written over, and sealed.
    const stored = await readSealedBytes(ctx, key, city.id);
    if (stored) return jsonResult(chunkSummary(decodeRecord<StoredEvaluationChunk>(stored), true));
    const { rows, ...shared } = input;
    const header: StoredEvaluationChunk = {
      city: city.id,
      chunkId,
      leafScheme: LEAF_SCHEME,
      count: rows.length,
      ...shared,
      recordedAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    await writeSealedRecord(ctx, key, header, city);
    await emitEvent(ctx, LEDGER_EVENTS.evaluationChunkRecorded, { ...header, rows } satisfies EvaluationChunkRecord, city.id);
    return jsonResult(chunkSummary(header, false));
  }

  /**
   * One chunk of evaluations as its state key holds it: without its rows,
   * which are in its event (chunks recorded before the rows moved to the
   * event have them here too); `NOT_FOUND` for a chunk the city did not seal
   * (other cities created it).
   */
  @Transaction(false)
  @Returns('string')
  async GetEvaluationChunk(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getEvaluationChunkInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.evaluationChunk, [input.city, input.chunkId]);
    // Stored as canonical JSON: answered as is.
    const bytes = found(await readSealedBytes(ctx, key, input.city), `evaluation chunk ${input.city}/${input.chunkId}`);
    return Buffer.from(bytes).toString('utf8');
  }

  /** One evaluation. */
  @Transaction(false)
  @Returns('string')
  async GetEvaluation(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getEvaluationInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.evaluation, [input.city, input.id]);
    return jsonResult(found(await readSealedRecord<EvaluationRecord>(ctx, key, input.city), `evaluation ${input.city}/${input.id}`));
  }

  /** The evaluations of one subject, all cities, one page at a time (by city, then id). */
  @Transaction(false)
  @Returns('string')
  async QueryEvaluationsBySubject(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(queryEvaluationsBySubjectInput, inputJson);
    const page = await readPage(ctx, OBJECT_TYPES.evaluationBySubject, [input.subjectPseudonym], input, (entry) => {
      const [, city, id] = entry.attributes as [string, string, string];
      return readSealedRecord<EvaluationRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.evaluation, [city, id]), city as CityId).then(
        (record) => (record?.subjectPseudonym === input.subjectPseudonym ? record : undefined),
      );
    });
    return jsonResult(page);
  }
}

/**
 * Reads what the ledger holds for each input before anything is written, so
 * a conflict anywhere refuses the transaction before its first write.
 *
 * @throws CodedError `CONFLICT` when an id is recorded with other content.
 */
async function planEvaluations(ctx: Context, city: City, inputs: readonly RecordEvaluationInput[]): Promise<PlannedEvaluation[]> {
  const planned: PlannedEvaluation[] = [];
  for (const input of inputs) {
    const existing = await readSealedRecord<EvaluationRecord>(
      ctx,
      compositeKey(ctx, OBJECT_TYPES.evaluation, [city.id, input.id]),
      city.id,
    );
    if (existing) assertSameContent(existing, input, EVALUATION_CONTENT, `evaluation ${city.id}/${input.id}`);
    planned.push({ input, existing });
  }
  return planned;
}

/** Writes a new evaluation and its subject index entry. */
async function writeEvaluation(ctx: Context, city: City, input: RecordEvaluationInput): Promise<EvaluationRecord> {
  const record: EvaluationRecord = {
    city: city.id,
    id: input.id,
    subjectPseudonym: input.subjectPseudonym,
    scheme: input.scheme,
    grade: input.grade,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    validUntil: input.validUntil,
    evidenceHash: input.evidenceHash,
    recordedAt: txTimestamp(ctx),
    txId: ctx.stub.getTxID(),
  };
  await writeSealedRecord(ctx, compositeKey(ctx, OBJECT_TYPES.evaluation, [city.id, input.id]), record, city);
  // Owner-protected like the record: no other city can delete or hide a subject's evaluation from the index.
  await writeIndex(ctx, compositeKey(ctx, OBJECT_TYPES.evaluationBySubject, [input.subjectPseudonym, city.id, input.id]), city);
  return record;
}

/** What `RecordEvaluationChunk` answers: the chunk without its rows. */
function chunkSummary(record: StoredEvaluationChunk, unchanged: boolean) {
  return { city: record.city, chunkId: record.chunkId, count: record.count, recordedAt: record.recordedAt, txId: record.txId, unchanged };
}
