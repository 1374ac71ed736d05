/** Paths, progress output and small helpers shared by the benchmark workloads. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where results, logs, profiles and the stores of the benchmark's own gateway processes go (ignored by git). */
export const BENCH_DIR = join(ROOT, '.bench');

const started = Date.now();

/** Elapsed time since the benchmark started, as `mm:ss`. */
function clock(): string {
  const s = Math.floor((Date.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Prints one progress line, prefixed with the elapsed time. */
export function say(line: string): void {
  process.stdout.write(`[bench ${clock()}] ${line}\n`);
}

/** A logger that prefixes its lines with a workload name. */
export function logger(prefix: string): (line: string) => void {
  return (line) => say(`${prefix}: ${line}`);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Seconds elapsed since `t0` (a `performance.now()` reading). */
export const secondsSince = (t0: number): number => (performance.now() - t0) / 1000;

/** Runs `work` for indexes 0..count-1 with `concurrency` workers; returns when all are done. */
export async function runPool(count: number, concurrency: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * Calls `report` every `everyMs` while `work` runs (progress of long phases),
 * then returns what `work` returned.
 */
export async function withTicker<T>(everyMs: number, report: () => void | Promise<void>, work: () => Promise<T>): Promise<T> {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void Promise.resolve()
      .then(report)
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Formats a number with thousands separators and at most `digits` decimals. */
export function fmt(value: number | undefined | null, digits = 0): string {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** The message of an error-like value. */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
