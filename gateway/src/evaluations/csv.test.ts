import assert from 'node:assert/strict';
import { CsvLineError, csvColumns, csvRecord, splitCsvLine } from './csv.js';

describe('evaluation import CSV', () => {
  it('splits quoted fields with commas and doubled quotes', () => {
    assert.deepEqual(splitCsvLine('a,"b,c","say ""hi""",,e'), ['a', 'b,c', 'say "hi"', '', 'e']);
    assert.throws(() => splitCsvLine('"open'), CsvLineError);
    assert.throws(() => splitCsvLine('"a"b'), CsvLineError);
  });

  it('maps the header columns to an import line, subject nested, empty cells absent', () => {
    const columns = csvColumns(
      '\uFEFFsubject.kind,subject.uscc,scheme,grade,periodStart,periodEnd,validUntil,evidence,withdrawn,supersedes',
    );
    const record = csvRecord(columns, 'enterprise,91350100M000100Y43,qd-2026,A,2026-01-01,2026-12-31,2027-12-31T00:00:00Z,,yes,QD-1');
    assert.deepEqual(record, {
      subject: { kind: 'enterprise', uscc: '91350100M000100Y43' },
      scheme: 'qd-2026',
      grade: 'A',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      validUntil: '2027-12-31T00:00:00Z',
      withdrawn: true,
      supersedes: 'QD-1',
    });
    assert.throws(() => csvColumns('grade,colour'), /unknown column "colour"/);
    assert.throws(() => csvRecord(columns, 'enterprise,x'), /has 2 fields/);
  });
});
