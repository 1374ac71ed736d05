import type { Logger } from 'pino';
import { describeIssues, jsonInputProblem, recordEvaluationInput, type CityId, type RecordEvaluationInput } from '@jcc/domain';
import { LedgerRefusedError, isRetryable } from '../fabric/errors.js';
import type { Ledger } from '../fabric/ledger.js';
import { backoffDelay } from '../lib/backoff.js';
import type { NumberedLine } from '../lib/lines.js';
import { sleep } from '../lib/time.js';
import { evaluationBody, toLedgerEvaluation } from './evaluation.js';

/** Settings of a bulk upload. */
export interface BulkOptions {
  city: CityId;
  secret: string;
  ledger: Ledger;
  /** Records per transaction (≤ 500). */
  chunkSize: number;
  /** Transactions in flight at once. */
  inFlight: number;
  log: Logger;
  /** Most line errors listed in the answer (all are counted). */
  maxErrors?: number;
  /** Attempts per transaction when the ledger is unavailable or the transaction conflicts. */
  attempts?: number;
  onRecords?(outcome: 'recorded' | 'invalid' | 'failed', count: number): void;
}

/** A line that could not be recorded. */
export interface LineError {
  line: number;
  detail: string;
  code?: string;
}

/** The answer to a bulk upload. */
export interface BulkResult {
  /** Non-blank lines read. */
  lines: number;
  /** Records on the ledger after the upload: written now, or found there unchanged. */
  recorded: number;
  /** Of those, records written by this upload. */
  written: number;
  /** Of those, records already on the ledger with the same content (skipped by the chaincode). */
  unchanged: number;
  /** Lines refused before submission (malformed, invalid). */
  invalid: number;
  /** Valid lines whose transaction failed. */
  failed: number;
  /** Lines repeating an earlier line of the same transaction (skipped). */
  duplicates: number;
  /** Transactions committed. */
  transactions: number;
  /** The first errors (up to `maxErrors`), by line. */
  errors: LineError[];
  /** True when every line was recorded. */
  complete: boolean;
  seconds: number;
}

interface Pending {
  line: number;
  record: RecordEvaluationInput;
}

/**
 * Records evaluations read from NDJSON lines on the ledger, in
 * `evaluations:RecordEvaluations` transactions of up to `chunkSize` records,
 * with up to `inFlight` transactions pipelined (endorsed and ordered while
 * earlier ones commit). Reading waits while the pipeline is full, so the
 * upload is consumed at the ledger's pace. A transaction the chaincode refuses
 * is split in halves until the offending lines are isolated; the others are
 * recorded. Every record is idempotent on the ledger, so a retried upload is
 * safe.
 */
export async function recordBulk(source: AsyncIterable<NumberedLine>, options: BulkOptions): Promise<BulkResult> {
  const started = performance.now();
  const maxErrors = options.maxErrors ?? 100;
  const result: BulkResult = {
    lines: 0,
    recorded: 0,
    written: 0,
    unchanged: 0,
    invalid: 0,
    failed: 0,
    duplicates: 0,
    transactions: 0,
    errors: [],
    complete: false,
    seconds: 0,
  };
  const error = (e: LineError): void => {
    if (result.errors.length < maxErrors) result.errors.push(e);
  };
  const inflight = new Set<Promise<void>>();
  let chunk: Pending[] = [];
  let chunkIds = new Map<string, { line: number; fingerprint: string }>();

  const submit = async (items: Pending[]): Promise<void> => {
    const attempts = options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        const committed = await options.ledger.submit<{ count?: number; unchanged?: string[] }>('evaluations:RecordEvaluations', {
          records: items.map((i) => i.record),
        });
        const unchanged = committed.result?.unchanged?.length ?? 0;
        result.recorded += items.length;
        result.unchanged += unchanged;
        result.written += items.length - unchanged;
        result.transactions++;
        options.onRecords?.('recorded', items.length);
        return;
      } catch (err) {
        if (err instanceof LedgerRefusedError) {
          if (items.length > 1) {
            const half = Math.ceil(items.length / 2);
            await submit(items.slice(0, half));
            await submit(items.slice(half));
            return;
          }
          result.failed++;
          options.onRecords?.('failed', 1);
          error({ line: items[0]?.line ?? 0, detail: err.detail, code: err.code });
          return;
        }
        if (isRetryable(err) && attempt < attempts) {
          await sleep(backoffDelay(attempt, { initialMs: 250, maxMs: 8000 }));
          continue;
        }
        result.failed += items.length;
        options.onRecords?.('failed', items.length);
        options.log.warn(
          { lines: [items[0]?.line, items.at(-1)?.line], err: (err as Error).message },
          'bulk evaluations: transaction failed',
        );
        for (const item of items.slice(0, 3)) error({ line: item.line, detail: `the transaction failed: ${(err as Error).message}` });
        return;
      }
    }
  };

  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const items = chunk;
    chunk = [];
    chunkIds = new Map();
    const work: Promise<void> = submit(items).finally(() => inflight.delete(work));
    inflight.add(work);
    while (inflight.size >= options.inFlight) await Promise.race(inflight);
  };

  for await (const { line, text } of source) {
    result.lines++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      result.invalid++;
      error({ line, detail: 'not a JSON object', code: 'INVALID_ARGUMENT' });
      continue;
    }
    const inputProblem = jsonInputProblem(value, 'line');
    if (inputProblem) {
      result.invalid++;
      error({ line, detail: inputProblem, code: 'INVALID_ARGUMENT' });
      continue;
    }
    const parsed = evaluationBody.safeParse(value);
    if (!parsed.success) {
      result.invalid++;
      error({ line, detail: describeIssues(parsed.error.issues), code: 'INVALID_ARGUMENT' });
      continue;
    }
    const record = toLedgerEvaluation(options.city, options.secret, parsed.data);
    const checked = recordEvaluationInput.safeParse(record);
    if (!checked.success) {
      result.invalid++;
      error({ line, detail: describeIssues(checked.error.issues), code: 'INVALID_ARGUMENT' });
      continue;
    }
    const fingerprint = JSON.stringify(checked.data);
    const earlier = chunkIds.get(checked.data.id);
    if (earlier) {
      if (earlier.fingerprint === fingerprint) result.duplicates++;
      else {
        result.invalid++;
        error({ line, detail: `repeats the id of line ${earlier.line} with other content`, code: 'CONFLICT' });
      }
      continue;
    }
    chunkIds.set(checked.data.id, { line, fingerprint });
    chunk.push({ line, record: checked.data });
    if (chunk.length >= options.chunkSize) await flush();
  }
  await flush();
  await Promise.all(inflight);
  if (result.invalid) options.onRecords?.('invalid', result.invalid);
  result.complete = result.invalid === 0 && result.failed === 0;
  result.seconds = Math.round((performance.now() - started) / 10) / 100;
  return result;
}
