import assert from 'node:assert/strict';
import { chinaMonth } from './statistics.js';
import { wantsCsv } from './routes.js';

describe('statistics', () => {
  it('buckets an instant by its month in China Standard Time', () => {
    assert.equal(chinaMonth('2026-11-30T15:59:59.999Z'), '2026-11');
    assert.equal(chinaMonth('2026-11-30T16:00:00.000Z'), '2026-12');
    assert.equal(chinaMonth('2026-12-05'), '2026-12');
    assert.equal(chinaMonth('not a time'), undefined);
  });

  it('answers CSV for format=csv, or an Accept preferring text/csv', () => {
    assert.equal(wantsCsv('csv', 'application/json'), true);
    assert.equal(wantsCsv('json', 'text/csv'), false);
    assert.equal(wantsCsv(undefined, 'text/csv'), true);
    assert.equal(wantsCsv(undefined, 'text/csv, application/json;q=0.5'), true);
    assert.equal(wantsCsv(undefined, 'application/json, text/csv'), false);
    assert.equal(wantsCsv(undefined, undefined), false);
    assert.equal(wantsCsv(undefined, '*/*'), false);
  });
});
