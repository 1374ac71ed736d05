/**
 * The demo's dates. Every date and validity window of the demo data is an
 * offset from one day, the demo's *epoch*: the day the demo data was first
 * loaded. Loading again reuses that day (read back from the ledger), so every
 * request body is the same as the first time and replays instead of
 * creating new records.
 *
 * @packageDocumentation
 */

const DAY_MS = 24 * 3600 * 1000;

/** Dates relative to the demo's epoch. */
export class DemoDates {
  /** The epoch, `YYYY-MM-DD` (UTC). */
  readonly epoch: string;
  readonly #t0: number;

  constructor(epoch: string) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(epoch) || Number.isNaN(Date.parse(`${epoch}T00:00:00.000Z`))) {
      throw new RangeError(`demo epoch must be a date YYYY-MM-DD, not ${epoch}`);
    }
    this.epoch = epoch;
    this.#t0 = Date.parse(`${epoch}T00:00:00.000Z`);
  }

  /** The epoch of a demo loaded today (UTC). */
  static today(now = Date.now()): DemoDates {
    return new DemoDates(new Date(now).toISOString().slice(0, 10));
  }

  /** The calendar year of the epoch. */
  get year(): number {
    return Number(this.epoch.slice(0, 4));
  }

  /** `YYYY-MM-DD`, `days` after (negative: before) the epoch. */
  date(days: number): string {
    return new Date(this.#t0 + days * DAY_MS).toISOString().slice(0, 10);
  }

  /** RFC 3339 UTC timestamp at midnight, `days` after the epoch. */
  timestamp(days: number): string {
    return new Date(this.#t0 + days * DAY_MS).toISOString();
  }
}
