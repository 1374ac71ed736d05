/**
 * Clock helpers. Every timestamp the gateway writes is an RFC 3339 UTC
 * timestamp with milliseconds, the form the ledger uses.
 */

/** Something that tells the time; tests pass a fixed clock. */
export type Clock = () => number;

/** The system clock. */
export const systemClock: Clock = () => Date.now();

/** Formats epoch milliseconds as `2026-11-26T08:30:00.000Z`. */
export function isoTimestamp(millis: number): string {
  return new Date(millis).toISOString();
}

/** Parses an RFC 3339 timestamp to epoch milliseconds; `NaN` when it is not one. */
export function parseTimestamp(value: string): number {
  return Date.parse(value);
}

/** Resolves after `ms` milliseconds (the one polling module's `sleep`). */
export { sleep } from '@jcc/network/polling';

/**
 * Resolves after the event loop has served what is waiting (I/O callbacks,
 * timers): long CPU work awaits it between slices so requests are answered
 * meanwhile.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
