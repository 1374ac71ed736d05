/**
 * The one polling helper of the project: wait for something that becomes
 * true later (a block reaching another city's peer, a gateway becoming ready,
 * a process exiting). Every "retry until" loop in the code and the tests uses it.
 * @packageDocumentation
 */

/** Options of {@link until} and {@link eventually}. */
export interface PollOptions {
  /** Give up after this long (ms). Default 15 s. */
  timeoutMs?: number;
  /** Pause between attempts (ms). Default 250 ms. */
  intervalMs?: number;
  /** What is waited for, for the error message. Default `condition`. */
  what?: string;
  /** Called with the attempt's outcome when it did not succeed (progress logs). */
  onRetry?: (last: unknown) => void;
  /** Stops waiting early (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Errors of `read` that end the wait at once (rethrown) instead of counting as "not yet". */
  stopOn?: (error: unknown) => boolean;
}

/** Raised when a polled condition did not come true in time; `cause` is the last error, `last` the last value read. */
export class PollTimeoutError extends Error {
  override readonly name = 'PollTimeoutError';
  /** The last value read (when the read succeeded but was not accepted). */
  readonly last: unknown;

  constructor(message: string, last: unknown, options?: ErrorOptions) {
    super(message, options);
    this.last = last;
  }
}

/** Resolves after `ms` milliseconds (earlier, rejecting, when `signal` aborts). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value)?.slice(0, 2000) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Reads until `accept` holds for the value read, and returns that value. A
 * read that throws counts as not yet; at the deadline it fails with a
 * {@link PollTimeoutError} naming `what` and the last value or error.
 */
export async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean, options: PollOptions = {}): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 250, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: { value?: T; error?: unknown } = {};
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason;
    try {
      const value = await read();
      if (accept(value)) return value;
      last = { value };
    } catch (error) {
      if (options.stopOn?.(error)) throw error;
      last = { error };
    }
    if (Date.now() + intervalMs > deadline) break;
    options.onRetry?.('error' in last ? last.error : last.value);
    await sleep(intervalMs, options.signal);
  }
  const detail = 'error' in last ? describe(last.error) : `last: ${describe(last.value)}`;
  throw new PollTimeoutError(
    `${what} not reached in ${timeoutMs / 1000} s; ${detail}`,
    last.value,
    'error' in last ? { cause: last.error } : undefined,
  );
}

/** Retries `read` until it does not throw, and returns its value (see {@link until}). */
export function eventually<T>(read: () => Promise<T>, options: PollOptions = {}): Promise<T> {
  return until(read, () => true, options);
}

/** The process whose start-up was awaited is no longer running. */
export class ProcessExitedError extends Error {
  override readonly name = 'ProcessExitedError';
  constructor(what: string, log?: string) {
    super(`${what} exited during start-up${log ? `; see ${log}` : ''}`);
  }
}

/**
 * Waits until `GET <url>/readyz` of a gateway answers 200 (peer reachable,
 * keys registered, index caught up); returns the milliseconds waited. With
 * `alive`, gives up at once (a {@link ProcessExitedError}) when it returns
 * false: the process exited.
 */
export async function waitForGatewayReady(
  url: string,
  options: PollOptions & { alive?: () => boolean | Promise<boolean>; log?: string } = {},
): Promise<number> {
  const started = Date.now();
  await until(
    async () => {
      if (options.alive && !(await options.alive())) throw new ProcessExitedError(`the gateway of ${url}`, options.log);
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(3000) });
      if (res.ok) return true;
      throw new Error(`/readyz answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    },
    () => true,
    { timeoutMs: 180_000, intervalMs: 500, what: `${url}/readyz`, ...options, stopOn: (e) => e instanceof ProcessExitedError },
  );
  return Date.now() - started;
}
