/**
 * Time formats of ledger records: RFC 3339 UTC timestamps, always written
 * with milliseconds (`2026-11-26T08:30:00.000Z`), and calendar dates
 * (`2026-11-26`). Both sort correctly as strings. Requests may write any
 * RFC 3339 timestamp (an offset such as `+08:00`, any number of fraction
 * digits, lower-case `t`/`z`); {@link normalizeTimestamp} turns it into the
 * ledger's form before anything is signed or sent to the ledger.
 */

const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?Z$/;
const RFC3339_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
/** Longest RFC 3339 timestamp accepted (nine fraction digits and an offset). */
export const MAX_TIMESTAMP_LENGTH = 35;
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
 * Instants of the timestamps read lately: a bulk upload repeats the same
 * few (every line of an annual evaluation has the same `validUntil`), and a
 * timestamp always names the same instant. Bounded: emptied when full.
 */
const recentInstants = new Map<string, number | undefined>();
const RECENT_INSTANTS = 256;

/** The instant of an RFC 3339 timestamp in epoch milliseconds (fraction truncated to ms), or `undefined`. */
function rfc3339Millis(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > MAX_TIMESTAMP_LENGTH) return undefined;
  if (recentInstants.has(value)) return recentInstants.get(value);
  const millis = parseRfc3339Millis(value);
  if (recentInstants.size >= RECENT_INSTANTS) recentInstants.clear();
  recentInstants.set(value, millis);
  return millis;
}

/** {@link rfc3339Millis} without the memo. */
function parseRfc3339Millis(value: string): number | undefined {
  const match = RFC3339_PATTERN.exec(value);
  if (!match) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const fraction = match[7] ?? '';
  const [sign, oh, om] = [match[8], Number(match[9] ?? 0), Number(match[10] ?? 0)];
  if (!isRealDay(y, mo, d) || h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59) return undefined;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offset = (oh * 60 + om) * 60_000 * (sign === '-' ? -1 : 1);
  const millis = local - offset;
  const year = new Date(millis).getUTCFullYear();
  return year >= 1000 && year <= 9999 ? millis : undefined;
}

/**
 * True when `value` is an RFC 3339 timestamp (section 5.6: `T` or `t`,
 * `Z`, `z` or a numeric offset, any number of fraction digits) naming a real
 * instant between the years 1000 and 9999 UTC (no leap seconds).
 */
export function isTimestamp(value: unknown): value is string {
  return rfc3339Millis(value) !== undefined;
}

/**
 * The canonical form of an RFC 3339 timestamp: the same instant in UTC,
 * with exactly three fraction digits (`2027-06-30T12:00:00+08:00` →
 * `2027-06-30T04:00:00.000Z`). Digits beyond milliseconds are dropped.
 *
 * @throws RangeError when `value` is not a timestamp (see {@link isTimestamp}).
 */
export function normalizeTimestamp(value: string): string {
  const millis = rfc3339Millis(value);
  if (millis === undefined) throw new RangeError(`not an RFC 3339 timestamp: ${value}`);
  return new Date(millis).toISOString();
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
