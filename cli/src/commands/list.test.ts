import assert from 'node:assert/strict';
import { CliError } from '../lib/exit.js';
import { listQuery } from './list.js';

describe('jcc list: query strings', () => {
  it('maps the options of a list to its query parameters, with page size and bookmark', () => {
    assert.equal(
      listQuery('entries', { type: 'black', status: 'objectionUpheld', pageSize: '20' }, 'b1'),
      '?type=black&status=objectionUpheld&pageSize=20&bookmark=b1',
    );
    assert.equal(
      listQuery('agencies', { query: '青岛信用', alliance: 'goodStanding' }),
      `?q=${encodeURIComponent('青岛信用')}&alliance=goodStanding`,
    );
    assert.equal(listQuery('reports', {}), '');
  });

  it('refuses a filter the list does not take, an unknown list and a bad page size', () => {
    assert.throws(
      () => listQuery('reports', { grade: 'A' }),
      (err: unknown) => err instanceof CliError && /--grade does not apply/.test(err.message),
    );
    assert.throws(() => listQuery('everything', {}), /unknown list/);
    assert.throws(() => listQuery('reports', { pageSize: 'x' }), /--page-size/);
  });
});
