import assert from 'node:assert/strict';
import { LedgerUnavailableError } from '../fabric/errors.js';
import type { NumberedLine } from '../lib/lines.js';
import { ScriptedLedger, refusal, silentLog } from '../lib/testing.js';
import { recordBulk } from './bulk.js';

/** A validUntil a year ahead: evaluations already expired are refused. */
const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString();

const line = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    subject: { kind: 'enterprise', uscc: '91350100M000100Y43' },
    scheme: 'qd-2026',
    grade: 'A',
    periodStart: '2026-01-01',
    periodEnd: '2026-06-30',
    validUntil: inAYear,
    id: `qingdao-ev-${i}`,
    ...extra,
  });

async function* lines(texts: string[]): AsyncGenerator<NumberedLine> {
  for (const [i, text] of texts.entries()) yield { line: i + 1, text };
}

describe('bulk evaluations', () => {
  const options = (ledger: ScriptedLedger, chunkSize = 3) => ({
    city: 'qingdao' as const,
    secret: 's'.repeat(32),
    ledger,
    chunkSize,
    inFlight: 2,
    log: silentLog,
  });

  it('chunks valid lines into transactions and reports invalid ones by line', async () => {
    const ledger = new ScriptedLedger().script('evaluations:RecordEvaluations', (input) => ({
      count: (input.records as unknown[]).length,
    }));
    const texts = [line(1), line(2), 'not json', line(3), line(4, { grade: 'a' }), line(5), line(6), line(7), line(2)];
    const result = await recordBulk(lines(texts), options(ledger));
    assert.equal(result.lines, 9);
    assert.equal(result.recorded, 7);
    assert.equal(result.invalid, 2);
    assert.equal(result.transactions, 3);
    assert.deepEqual(
      result.errors.map((e) => e.line),
      [3, 5],
    );
    assert.match(result.errors[1]?.detail ?? '', /grade/);
    const sent = ledger.calls.flatMap((c) => c.input.records as Array<Record<string, unknown>>);
    assert.ok(sent.every((r) => typeof r.subjectPseudonym === 'string' && !('subject' in r)));
    assert.doesNotMatch(JSON.stringify(ledger.calls), /91350100M000100Y43/);
    assert.equal(result.complete, false);
  });

  it('isolates the lines a transaction was refused for, and retries an unavailable ledger', async () => {
    let unavailable = 1;
    const ledger = new ScriptedLedger().script('evaluations:RecordEvaluations', (input) => {
      if (unavailable-- > 0) return new LedgerUnavailableError('evaluations:RecordEvaluations', 'down');
      const records = input.records as Array<{ id: string }>;
      return records.some((r) => r.id === 'qingdao-ev-3')
        ? refusal('evaluations:RecordEvaluations', 'CONFLICT', 'qingdao-ev-3 exists with other content')
        : { count: records.length };
    });
    const result = await recordBulk(lines([1, 2, 3, 4].map((i) => line(i))), options(ledger, 4));
    assert.equal(result.recorded, 3);
    assert.equal(result.failed, 1);
    assert.deepEqual(result.errors, [{ line: 3, detail: 'qingdao-ev-3 exists with other content', code: 'CONFLICT' }]);
  });

  it('derives the same id for the same evaluation, so re-sending is idempotent', async () => {
    const ledger = new ScriptedLedger().script('evaluations:RecordEvaluations', () => ({}));
    const noId = JSON.stringify({ ...JSON.parse(line(1)), id: undefined });
    const result = await recordBulk(lines([noId, noId]), options(ledger));
    assert.equal(result.duplicates, 1);
    assert.equal(result.recorded, 1);
    const id = (ledger.calls[0]?.input.records as Array<{ id: string }>)[0]?.id;
    assert.match(id ?? '', /^qingdao-ev-h[0-9a-f]{40}$/);
  });
});
