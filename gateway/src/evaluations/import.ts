import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Logger } from 'pino';
import { describeIssues, jsonInputProblem, WITHDRAWN, type CityId, type EvaluationRow, type RecordEvaluationChunkInput } from '@jcc/domain';
import { LedgerRefusedError, isRetryable } from '../fabric/errors.js';
import type { Ledger } from '../fabric/ledger.js';
import { chunkedEvaluationsOf, type EvaluationChunkTables, type IndexedChunkedEvaluation } from '../index/evaluation-chunks.js';
import { followFile } from '../jobs/follow.js';
import { jobChunkKey, jobTables, MAX_JOB_ERRORS, type ImportJob, type JobLineError, type JobTables, type JobView } from '../jobs/job.js';
import { backoffDelay } from '../lib/backoff.js';
import { LineTooLongError, splitLines } from '../lib/lines.js';
import { sleep } from '../lib/time.js';
import { prefixRange } from '../store/table.js';
import type { Store } from '../store/store.js';
import { CsvLineError, csvColumns, csvRecord } from './csv.js';
import { evaluationImportLine, toLedgerEvaluation } from './evaluation.js';
import { recordKey } from '../index/tables.js';

/** Longest line of an import (characters). */
export const MAX_IMPORT_LINE = 64 * 1024;

/** Settings of the evaluation imports. */
export interface ImportOptions {
  city: CityId;
  secret: string;
  ledger: Ledger;
  store: Store;
  /** The index's tables of chunked evaluations (records already on the ledger are skipped). */
  index: EvaluationChunkTables;
  /** Folder of the uploads kept until their job is done. */
  spoolDir: string;
  /** Records per chunk (one transaction each). */
  chunkSize: number;
  /** Chunk transactions in flight at once per job. */
  inFlight: number;
  log: Logger;
  /** Attempts per chunk while the ledger is unavailable. */
  attempts?: number;
  /**
   * Resolves once this gateway's index has applied transaction `transactionId`
   * (`false` after its own time limit). A job is done only when its chunks are
   * in the index, so a look-up or a re-sent upload at this gateway sees them.
   */
  indexed?(transactionId: string): Promise<boolean>;
  onCommitted?(records: number): void;
}

/** A chunk being built: its shared fields, rows, and the line of each row. */
interface PendingChunk {
  common: Omit<RecordEvaluationChunkInput, 'rows'>;
  rows: EvaluationRow[];
  lines: number[];
}

/** What a running job keeps in memory besides the stored job. */
interface Running {
  job: ImportJob;
  uploadComplete: boolean;
  readingDone: boolean;
  /** Characters of the upload read so far (for the ETA). */
  consumed: number;
  samples: Array<[number, number]>;
  done: Promise<void>;
}

/** Unknown job. */
export class JobNotFoundError extends Error {
  override readonly name = 'JobNotFoundError';
}

const now = (): string => new Date().toISOString();

/**
 * Evaluation imports as durable jobs (评价结果批量导入). An upload is written
 * to a spool file in the store folder as it arrives, and recorded from that
 * file at the ledger's pace: lines are validated one by one, pseudonymised,
 * grouped into chunks (`evaluations:RecordEvaluationChunk`, up to
 * `chunkSize` records sharing scheme, period and validity) and submitted
 * with several chunks in flight.
 *
 * Nothing is lost or recorded twice: the chunks of an upload are cut the
 * same way every time it is read (by line order), each committed chunk is
 * noted in the store with the job's counters in one atomic write, and a job
 * the gateway was stopped in (even by SIGKILL) is resumed at start-up by
 * reading its file again and submitting the chunks not noted — a chunk that
 * did commit before the stop is the same content, so the chaincode writes
 * nothing for it. Records the index already holds (an earlier upload of the
 * same lines) are skipped, and an id already recorded with other content is
 * refused (`CONFLICT`: send a correction that `supersedes` it).
 */
export class EvaluationImports {
  readonly #o: ImportOptions;
  readonly #tables: JobTables;
  readonly #running = new Map<string, Running>();
  readonly #abort = new AbortController();

  constructor(options: ImportOptions) {
    this.#o = options;
    this.#tables = jobTables(options.store);
  }

  #spool(job: Pick<ImportJob, 'id' | 'format'>): string {
    return join(this.#o.spoolDir, `${job.id}.${job.format}`);
  }

  /**
   * Starts a job for an upload and receives it into the spool file (the job
   * records while it arrives). Resolves with the job once the whole upload
   * is kept on disk.
   */
  async create(format: ImportJob['format'], body: AsyncIterable<Buffer>, by?: string): Promise<JobView> {
    await mkdir(this.#o.spoolDir, { recursive: true, mode: 0o700 });
    const at = now();
    const job: ImportJob = {
      id: `job-${randomUUID()}`,
      kind: 'evaluations-import',
      city: this.#o.city,
      format,
      status: 'receiving',
      createdAt: at,
      updatedAt: at,
      ...(by ? { by } : {}),
      bytes: 0,
      uploadComplete: false,
      linesRead: 0,
      rejected: 0,
      errors: [],
      duplicates: 0,
      alreadyRecorded: 0,
      committed: 0,
      chunks: 0,
      resumed: 0,
    };
    const path = this.#spool(job);
    await (await open(path, 'w', 0o600)).close();
    await this.#tables.jobs.put(job.id, job);
    const running = this.#start(job, false);
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        job.bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      const out = createWriteStream(path, { flags: 'a', mode: 0o600 });
      await pipeline(body, counter, out);
      // The upload is on disk before the job says so.
      const handle = await open(path, 'r+');
      await handle.sync();
      await handle.close();
    } catch (err) {
      job.detail = `the upload was cut off after ${job.bytes} bytes (${(err as Error).message}); lines received are recorded, send the file again for the rest (nothing is recorded twice)`;
    }
    job.uploadComplete = true;
    if (job.status === 'receiving') job.status = 'running';
    job.updatedAt = now();
    await this.#tables.jobs.put(job.id, job);
    running.uploadComplete = true;
    return this.#view(running);
  }

  /** Resumes every job that was not finished when the gateway stopped. */
  async resume(): Promise<number> {
    let resumed = 0;
    for await (const [, job] of this.#tables.jobs.entries()) {
      if (job.status === 'done' || job.status === 'failed' || this.#running.has(job.id)) continue;
      const size = (await stat(this.#spool(job)).catch(() => undefined))?.size;
      if (size === undefined) {
        await this.#tables.jobs.put(job.id, { ...job, status: 'failed', detail: 'the upload was lost', updatedAt: now() });
        continue;
      }
      if (!job.uploadComplete)
        job.detail = `the gateway stopped while receiving the upload; the ${size} bytes received are recorded, send the file again for the rest (nothing is recorded twice)`;
      job.bytes = size;
      job.uploadComplete = true;
      job.status = 'running';
      job.resumed++;
      this.#o.log.info({ job: job.id, bytes: size }, 'evaluation import: resuming a job');
      this.#start(job, true).uploadComplete = true;
      resumed++;
    }
    return resumed;
  }

  /** The job with its current rate and ETA. */
  async get(id: string): Promise<JobView> {
    const running = this.#running.get(id);
    if (running) return this.#view(running);
    const job = await this.#tables.jobs.get(id);
    if (!job) throw new JobNotFoundError(`no job ${id}`);
    return { ...job, ratePerSecond: 0, etaSeconds: job.status === 'done' ? 0 : null };
  }

  /** Resolves when job `id` is no longer running here. */
  async settled(id: string): Promise<void> {
    await this.#running.get(id)?.done;
  }

  /** Stops the running jobs (they resume at the next start). */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('stopping'));
    await Promise.allSettled([...this.#running.values()].map((r) => r.done));
  }

  #view(r: Running): JobView {
    const t = performance.now();
    const recent = r.samples.filter(([at]) => t - at <= 10_000);
    const first = recent[0];
    const last = r.samples.at(-1);
    const rate = first && last && last[0] > first[0] ? ((last[1] - first[1]) * 1000) / (last[0] - first[0]) : 0;
    const job = r.job;
    const handled = job.rejected + job.duplicates + job.alreadyRecorded;
    let expected: number | undefined;
    if (r.readingDone) expected = job.linesRead - handled;
    else if (r.uploadComplete && r.consumed > 0) expected = Math.round(((job.linesRead - handled) * job.bytes) / r.consumed);
    const eta = expected === undefined || rate <= 0 ? null : Math.max(0, Math.round((expected - job.committed) / rate));
    return { ...job, errors: [...job.errors], ratePerSecond: Math.round(rate), etaSeconds: job.status === 'done' ? 0 : eta };
  }

  #start(job: ImportJob, resuming: boolean): Running {
    const running: Running = {
      job,
      uploadComplete: job.uploadComplete,
      readingDone: false,
      consumed: 0,
      samples: [[performance.now(), job.committed]],
      done: Promise.resolve(),
    };
    this.#running.set(job.id, running);
    running.done = this.#run(running, resuming)
      .catch(async (err: unknown) => {
        if (this.#abort.signal.aborted) return;
        this.#o.log.error({ job: job.id, err: (err as Error).message }, 'evaluation import failed');
        job.status = 'failed';
        job.detail = err instanceof LineTooLongError ? `line ${err.line} is too long` : (err as Error).message;
        job.updatedAt = now();
        await this.#tables.jobs.put(job.id, job).catch(() => undefined);
      })
      .finally(() => this.#running.delete(job.id));
    return running;
  }

  async #run(r: Running, resuming: boolean): Promise<void> {
    const job = r.job;
    const o = this.#o;
    const signal = this.#abort.signal;
    // Counters are recounted from the file; committed chunks come from the store.
    const committedChunks = new Set<number>();
    let committed = 0;
    if (resuming) {
      for await (const [key, count] of this.#tables.jobChunks.entries(prefixRange(`${job.id}|`))) {
        committedChunks.add(Number(key.slice(job.id.length + 1)));
        committed += count;
      }
    }
    Object.assign(job, {
      linesRead: 0,
      rejected: 0,
      errors: [],
      duplicates: 0,
      alreadyRecorded: 0,
      committed,
      chunks: committedChunks.size,
    });
    const reject = (e: JobLineError): void => {
      job.rejected++;
      if (job.errors.length < MAX_JOB_ERRORS) job.errors.push(e);
    };
    const seen = new SeenIds();
    const inflight = new Set<Promise<void>>();
    /** Transactions of the chunks this run committed, to be applied to the index before the job is done. */
    const committedTransactions: string[] = [];
    let current: PendingChunk | undefined;
    let seq = 0;
    let columns: string[] | undefined;

    const submit = async (chunkSeq: number, chunk: PendingChunk): Promise<void> => {
      // Records already on the ledger (the index) are skipped, or refused when their content differs.
      const known = await chunkedEvaluationsOf(
        o.index,
        chunk.rows.map((row) => recordKey(o.city, row[0]!)),
      );
      const rows: EvaluationRow[] = [];
      const lines: number[] = [];
      chunk.rows.forEach((row, i) => {
        const existing = known[i];
        if (!existing) {
          rows.push(row);
          lines.push(chunk.lines[i]!);
        } else if (sameRecord(existing, chunk.common, row)) job.alreadyRecorded++;
        else
          reject({
            line: chunk.lines[i]!,
            detail: `evaluation ${o.city}/${row[0]} is recorded with other content; send a correction that supersedes it`,
            code: 'CONFLICT',
          });
      });
      let count = 0;
      if (rows.length > 0) {
        for (let attempt = 1; ; attempt++) {
          try {
            const committed = await o.ledger.submit('evaluations:RecordEvaluationChunk', { ...chunk.common, rows });
            committedTransactions.push(committed.transactionId);
            count = rows.length;
            break;
          } catch (err) {
            if (signal.aborted) throw err;
            if (err instanceof LedgerRefusedError) {
              for (const line of lines.slice(0, 20)) reject({ line, detail: `the chunk was refused: ${err.detail}`, code: err.code });
              job.rejected += Math.max(0, lines.length - 20);
              return;
            }
            if (isRetryable(err) && attempt < (o.attempts ?? 8)) {
              await sleep(backoffDelay(attempt, { initialMs: 250, maxMs: 8000 }), signal);
              continue;
            }
            throw err;
          }
        }
      }
      job.committed += count;
      job.chunks++;
      job.updatedAt = now();
      r.samples.push([performance.now(), job.committed]);
      if (r.samples.length > 200) r.samples.splice(0, r.samples.length - 200);
      await o.store.write([this.#tables.jobChunks.putOp(jobChunkKey(job.id, chunkSeq), count), this.#tables.jobs.putOp(job.id, job)]);
      if (count) o.onCommitted?.(count);
    };

    const flush = async (): Promise<void> => {
      const chunk = current;
      current = undefined;
      if (!chunk) return;
      const chunkSeq = seq++;
      if (committedChunks.has(chunkSeq)) return;
      const work: Promise<void> = submit(chunkSeq, chunk).finally(() => inflight.delete(work));
      inflight.add(work);
      while (inflight.size >= o.inFlight) await Promise.race(inflight);
    };

    let lastSaved = performance.now();
    const source = followFile(this.#spool(job), () => r.uploadComplete, { signal });
    for await (const { line, text } of splitLines(source, MAX_IMPORT_LINE)) {
      if (signal.aborted) break;
      r.consumed += text.length + 1;
      if (job.format === 'csv' && !columns) {
        try {
          columns = csvColumns(text);
        } catch (err) {
          throw new Error(`the CSV header (line ${line}) is not usable: ${(err as Error).message}`, { cause: err });
        }
        continue;
      }
      job.linesRead++;
      let value: unknown;
      try {
        value = columns ? csvRecord(columns, text) : JSON.parse(text);
      } catch (err) {
        reject({ line, detail: err instanceof CsvLineError ? err.message : 'not a JSON object', code: 'INVALID_ARGUMENT' });
        continue;
      }
      const problem = columns ? undefined : jsonInputProblem(value, 'line');
      if (problem) {
        reject({ line, detail: problem, code: 'INVALID_ARGUMENT' });
        continue;
      }
      const parsed = evaluationImportLine.safeParse(value);
      if (!parsed.success) {
        reject({ line, detail: describeIssues(parsed.error.issues), code: 'INVALID_ARGUMENT' });
        continue;
      }
      const body = parsed.data;
      const extra = {
        ...(body.supersedes ? { supersedes: body.supersedes } : {}),
        ...(body.withdrawn ? { withdrawn: true as const } : {}),
      };
      const record = toLedgerEvaluation(o.city, o.secret, body, extra);
      const row: EvaluationRow = [record.id, record.subjectPseudonym, record.grade, record.evidenceHash];
      if (extra.supersedes) row.push(extra.supersedes);
      if (extra.withdrawn) row.push(WITHDRAWN);
      const common = { scheme: record.scheme, periodStart: record.periodStart, periodEnd: record.periodEnd, validUntil: record.validUntil };
      const earlier = seen.check(
        record.id,
        `${common.scheme}|${common.periodStart}|${common.periodEnd}|${common.validUntil}|${row.join('|')}`,
      );
      if (earlier !== 'new') {
        if (earlier === 'same') job.duplicates++;
        else reject({ line, detail: `repeats the id ${record.id} of an earlier line with other content`, code: 'CONFLICT' });
        continue;
      }
      if (current && (current.rows.length >= o.chunkSize || !sameCommon(current.common, common))) await flush();
      current ??= { common, rows: [], lines: [] };
      current.rows.push(row);
      current.lines.push(line);
      if (performance.now() - lastSaved > 1000) {
        lastSaved = performance.now();
        job.updatedAt = now();
        await this.#tables.jobs.put(job.id, job);
      }
    }
    if (signal.aborted) {
      // Stopping: the chunk being built is cut again from the file at the next start.
      await Promise.allSettled(inflight);
      return;
    }
    await flush();
    await Promise.all(inflight);
    if (signal.aborted) return;
    if (o.indexed) {
      const applied = await Promise.all(committedTransactions.map((tx) => o.indexed!(tx)));
      const missing = applied.filter((a) => !a).length;
      if (missing)
        o.log.warn({ job: job.id, chunks: missing }, 'evaluation import: committed chunks not yet in the index when the job ended');
    }
    r.readingDone = true;
    job.status = 'done';
    job.finishedAt = now();
    job.updatedAt = job.finishedAt;
    await this.#tables.jobs.put(job.id, job);
    await rm(this.#spool(job), { force: true });
    o.log.info(
      { job: job.id, lines: job.linesRead, committed: job.committed, rejected: job.rejected, chunks: job.chunks },
      'evaluation import done',
    );
  }
}

/**
 * The ids an upload has used so far, each with a fingerprint of its line's
 * content, kept compact (an upload has up to hundreds of thousands of
 * lines): the key is 16 bytes of the SHA-256 of the id (as a latin1 string),
 * the value 31 bits of the SHA-256 of the content (a small integer, no
 * allocation). A line repeating an id with other content could pass for a
 * duplicate only if 31 bits of two hashes agree (one chance in 2^31).
 */
class SeenIds {
  readonly #ids = new Map<string, number>();

  /** Notes `id` with `content`: `new` the first time, then `same` or `other` content. */
  check(id: string, content: string): 'new' | 'same' | 'other' {
    const key = createHash('sha256').update(id).digest().toString('latin1', 0, 16);
    const fingerprint = createHash('sha256').update(content).digest().readInt32BE(0) >> 1;
    const earlier = this.#ids.get(key);
    if (earlier === undefined) {
      this.#ids.set(key, fingerprint);
      return 'new';
    }
    return earlier === fingerprint ? 'same' : 'other';
  }
}

function sameCommon(a: PendingChunk['common'], b: PendingChunk['common']): boolean {
  return a.scheme === b.scheme && a.periodStart === b.periodStart && a.periodEnd === b.periodEnd && a.validUntil === b.validUntil;
}

function sameRecord(existing: IndexedChunkedEvaluation, common: PendingChunk['common'], row: EvaluationRow): boolean {
  return (
    sameCommon(existing, common) &&
    existing.subjectPseudonym === row[1] &&
    existing.grade === row[2] &&
    existing.evidenceHash === row[3] &&
    existing.supersedes === row[4] &&
    (existing.withdrawn === true) === (row[5] === WITHDRAWN)
  );
}
