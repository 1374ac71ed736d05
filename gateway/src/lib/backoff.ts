/**
 * Exponential back-off with full jitter, for retrying ledger calls.
 */

/** Settings of {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay of the first retry, ms. */
  initialMs: number;
  /** Upper bound of any delay, ms. */
  maxMs: number;
}

/** Default back-off: 200 ms doubling up to 30 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 30_000 };

/**
 * The delay before retry number `attempt` (1-based): a random value between
 * half and all of `min(maxMs, initialMs * 2^(attempt-1))`.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
