import type { CityId } from '@jcc/domain';
import type { Store } from '../store/store.js';
import type { Table } from '../store/table.js';

/** A line of an upload that was not recorded, and why. */
export interface JobLineError {
  line: number;
  detail: string;
  code?: string;
}

/** Most line errors a job lists (all are counted). */
export const MAX_JOB_ERRORS = 1000;

/**
 * A bulk import job (批量导入任务) as the gateway keeps it in its store. The
 * uploaded body is kept beside it (a spool file) until the job is done, so a
 * job interrupted by a restart resumes from it.
 */
export interface ImportJob {
  id: string;
  kind: 'evaluations-import';
  city: CityId;
  format: 'ndjson' | 'csv';
  /** `receiving`: the upload is still arriving; `running`: recording; `done`: every line handled; `failed`: stopped (see `detail`). */
  status: 'receiving' | 'running' | 'done' | 'failed';
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Who uploaded (token subject). */
  by?: string;
  /** Bytes of the upload received (and kept). */
  bytes: number;
  /** True once the whole upload was received. */
  uploadComplete: boolean;
  /** Non-blank lines read (the CSV header is not counted). */
  linesRead: number;
  /** Lines refused (malformed, invalid, conflicting), with the first {@link MAX_JOB_ERRORS} listed in `errors`. */
  rejected: number;
  errors: JobLineError[];
  /** Lines repeating an earlier line of the same upload (skipped). */
  duplicates: number;
  /** Lines whose record the ledger already holds with the same content (skipped). */
  alreadyRecorded: number;
  /** Records committed on the ledger by this job. */
  committed: number;
  /** Chunks committed by this job. */
  chunks: number;
  /** Times the job was resumed after a restart. */
  resumed: number;
  detail?: string;
}

/** A job as `GET /api/v1/jobs/{id}` shows it: the stored job plus its current rate and ETA. */
export interface JobView extends ImportJob {
  /** Records committed per second over the last seconds. */
  ratePerSecond: number;
  /** Seconds until every line is handled at the current rate (null when unknown). */
  etaSeconds: number | null;
}

/** The tables of the jobs. */
export interface JobTables {
  /** id → job. */
  jobs: Table<ImportJob>;
  /** `<jobId>|<chunk sequence, 8 digits>` → records committed by that chunk of the job. */
  jobChunks: Table<number>;
}

/** Opens the jobs' tables. */
export function jobTables(store: Store): JobTables {
  return { jobs: store.table('jobs'), jobChunks: store.table('jobs.chunks') };
}

/** The key of chunk `seq` of job `id`. */
export function jobChunkKey(id: string, seq: number): string {
  return `${id}|${String(seq).padStart(8, '0')}`;
}
