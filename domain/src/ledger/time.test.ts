import assert from 'node:assert/strict';
import { isCalendarDate, isTimestamp, isUtcTimestamp, normalizeTimestamp, timestampFromMillis } from './time.js';

describe('ledger time formats', () => {
  it('accepts RFC 3339 UTC timestamps with or without milliseconds, and normalises them to milliseconds', () => {
    assert.equal(normalizeTimestamp('2026-11-26T08:30:00Z'), '2026-11-26T08:30:00.000Z');
    assert.equal(normalizeTimestamp('2026-11-26T08:30:00.120Z'), '2026-11-26T08:30:00.120Z');
    assert.equal(isUtcTimestamp('2024-02-29T23:59:59Z'), true);
  });

  it('normalises any RFC 3339 timestamp (offsets, fraction digits, lower case) to UTC milliseconds', () => {
    const cases: Array<[string, string]> = [
      ['2027-06-30T12:00:00+08:00', '2027-06-30T04:00:00.000Z'],
      ['2027-06-30T12:00:00.5Z', '2027-06-30T12:00:00.500Z'],
      ['2027-06-30t12:00:00.123456789z', '2027-06-30T12:00:00.123Z'],
      ['2027-01-01T01:00:00+02:00', '2026-12-31T23:00:00.000Z'],
      ['2027-06-30T22:00:00-05:30', '2027-07-01T03:30:00.000Z'],
      ['2024-02-29T00:00:00-00:00', '2024-02-29T00:00:00.000Z'],
    ];
    for (const [given, expected] of cases) {
      assert.equal(isTimestamp(given), true, given);
      assert.equal(normalizeTimestamp(given), expected, given);
    }
    for (const value of [
      '2026-11-26T08:30:00',
      '2026-11-26 08:30:00Z',
      '2026-11-26T08:30:00+0800',
      '2026-11-26T08:30:00+24:00',
      '2026-11-26T08:30:00.Z',
      '2026-11-26T08:30:00.1234567890Z',
      '2025-02-29T00:00:00+08:00',
      '1000-01-01T00:00:00+00:01',
      '2026-11-26T08:30:60Z',
    ]) {
      assert.equal(isTimestamp(value), false, value);
      assert.throws(() => normalizeTimestamp(value), RangeError, value);
    }
  });

  it('refuses offsets, other precisions, impossible instants and non-strings as the ledger form (isUtcTimestamp)', () => {
    for (const value of [
      '2026-11-26T08:30:00+08:00',
      '2026-11-26T08:30:00.1Z',
      '2026-11-26T08:30:00.1234Z',
      '2026-11-26 08:30:00Z',
      '2026-11-26t08:30:00z',
      '2025-02-29T00:00:00Z',
      '2026-11-26T24:00:00Z',
      '2026-11-26T23:60:00Z',
      '2026-11-26T23:59:60Z',
      '0999-01-01T00:00:00Z',
      '2026-11-26',
      1764115200000,
    ]) {
      assert.equal(isUtcTimestamp(value), false, String(value));
    }
    assert.throws(() => normalizeTimestamp('yesterday'), RangeError);
  });

  it('accepts calendar dates YYYY-MM-DD of real days only', () => {
    assert.equal(isCalendarDate('2024-02-29'), true);
    for (const value of ['2025-02-29', '2026-04-31', '2026-13-01', '2026-1-01', '2026-11-26T00:00:00Z', 20261126]) {
      assert.equal(isCalendarDate(value), false, String(value));
    }
  });

  it('formats milliseconds since the epoch canonically, and canonical forms sort by time', () => {
    assert.equal(timestampFromMillis(Date.UTC(2026, 10, 26, 8, 30)), '2026-11-26T08:30:00.000Z');
    const stamps = [Date.UTC(2026, 0, 1), Date.UTC(2025, 11, 31, 23, 59, 59, 999), Date.UTC(2026, 0, 1, 0, 0, 0, 1)].map(
      timestampFromMillis,
    );
    assert.deepEqual([...stamps].sort(), ['2025-12-31T23:59:59.999Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z']);
  });
});
