import assert from 'node:assert/strict';
import { idNumberCheckCharacter, usccCheckCharacter } from '@jcc/domain';
import { buildIssueRequest, parseContent, subjectFrom, validUntilFrom } from './issueRequest.js';

const NOW = new Date('2026-11-26T00:00:00.000Z');
const USCC = `91370200MA3C5X9K2${usccCheckCharacter('91370200MA3C5X9K2')}`;
const ID = `37020219800101123${idNumberCheckCharacter('37020219800101123')}`;

describe('issue request', () => {
  it('builds the body of POST /api/v1/reports from the flags', () => {
    const body = buildIssueRequest(
      { uscc: USCC.toLowerCase(), type: 'publicCreditReport', validDays: '30', anchor: 'batch' },
      '{"summary":"clean"}',
      NOW,
    );
    assert.deepEqual(body, {
      subject: { kind: 'enterprise', uscc: USCC },
      reportType: 'publicCreditReport',
      content: { summary: 'clean' },
      validUntil: '2026-12-26T00:00:00.000Z',
      anchor: 'batch',
    });
  });

  it('checks the subject locally', () => {
    assert.deepEqual(subjectFrom({ idNumber: ID }), { kind: 'person', idNumber: ID });
    assert.throws(() => subjectFrom({ uscc: `${USCC.slice(0, 17)}${USCC.endsWith('0') ? '1' : '0'}` }), /check character/);
    assert.throws(
      () => subjectFrom({ idNumber: `${ID.slice(0, 17)}${ID.endsWith('0') ? '1' : '0'}` }),
      new RegExp(`check character for these 17 digits is ${ID.slice(17)}`),
    );
    assert.throws(() => subjectFrom({}), /--uscc/);
    assert.throws(() => subjectFrom({ uscc: USCC, idNumber: ID }), /not both/);
  });

  it('reads validity as a date, a timestamp or a number of days', () => {
    assert.equal(validUntilFrom({ validUntil: '2027-01-31', validDays: '1' }, NOW), '2027-01-31T00:00:00.000Z');
    assert.equal(validUntilFrom({ validUntil: '2027-01-31T08:00:00+08:00', validDays: '1' }, NOW), '2027-01-31T00:00:00.000Z');
    assert.throws(() => validUntilFrom({ validUntil: '2020-01-01', validDays: '1' }, NOW), /future/);
    assert.throws(() => validUntilFrom({ validUntil: 'soon', validDays: '1' }, NOW), /not a date/);
    assert.throws(() => validUntilFrom({ validDays: '0' }, NOW), /valid-days/);
  });

  it('accepts only a JSON object as content', () => {
    assert.deepEqual(parseContent(undefined), {});
    assert.throws(() => parseContent('[1]'), /object/);
    assert.throws(() => parseContent('{'), /not JSON/);
  });
});
