/**
 * Time formats of ledger records: RFC 3339 UTC timestamps, always written
 * with milliseconds (`2026-11-26T08:30:00.000Z`), and calendar dates
 * (`2026-11-26`). Both sort correctly as strings.
 */

const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?Z$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when year, month and day name a real day of the Gregorian calendar (years 1000-9999). */
function isRealDay(year: number, month: number, day: number): boolean {
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * True when `value` is an RFC 3339 timestamp in UTC (`Z`), with or without
 * milliseconds, naming a real instant (no leap seconds, no offsets).
 */
export function isUtcTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TIMESTAMP_PATTERN.exec(value);
  if (!match) return false;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return isRealDay(y as number, mo as number, d as number) && (h as number) <= 23 && (mi as number) <= 59 && (s as number) <= 59;
}

/**
 * The canonical form of a UTC timestamp: always with milliseconds.
 *
 * @throws RangeError when `value` is not a UTC timestamp (see {@link isUtcTimestamp}).
 */
export function normalizeTimestamp(value: string): string {
  if (!isUtcTimestamp(value)) throw new RangeError(`not an RFC 3339 UTC timestamp: ${value}`);
  return value.length === 20 ? `${value.slice(0, 19)}.000Z` : value;
}

/** True when `value` is a calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  return isRealDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * Formats milliseconds since the Unix epoch as a canonical UTC timestamp
 * (`2026-11-26T08:30:00.000Z`).
 */
export function timestampFromMillis(millis: number): string {
  return new Date(millis).toISOString();
}

const INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Raised when a value compared as an instant is not an RFC 3339 timestamp. */
export class InvalidInstantError extends RangeError {
  override readonly name = 'InvalidInstantError';
}

/**
 * The instant an RFC 3339 timestamp names, in milliseconds since the Unix
 * epoch: with or without fractional seconds (beyond milliseconds truncated),
 * in UTC (`Z`) or with an offset (`+08:00`). Compare instants with this, never
 * the strings: `…:00Z`, `…:00.000Z` and `…T08:00:00+08:00` can name the same one.
 *
 * @throws InvalidInstantError when `value` is not an RFC 3339 timestamp naming a real instant.
 */
export function instantMillis(value: string): number {
  const match = typeof value === 'string' ? INSTANT_PATTERN.exec(value) : null;
  if (match) {
    const [y, mo, d, h, mi, s] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    const offsetOk = match[7] === undefined || (Number(match[8]) <= 23 && Number(match[9]) <= 59);
    if (isRealDay(y, mo, d) && h <= 23 && mi <= 59 && s <= 59 && offsetOk) {
      const millis = Date.parse(value.toUpperCase());
      if (Number.isFinite(millis)) return millis;
    }
  }
  throw new InvalidInstantError(`not an RFC 3339 timestamp: ${String(value)}`);
}
