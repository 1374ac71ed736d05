import assert from 'node:assert/strict';
import { parseAudience } from './token.js';

describe('jcc token --aud', () => {
  it('reads "all" or a comma-separated list of cities', () => {
    assert.equal(parseAudience('all'), 'all');
    assert.deepEqual(parseAudience('qingdao, yantai'), ['qingdao', 'yantai']);
  });

  it('refuses an unknown city', () => {
    assert.throws(() => parseAudience('qingdao,beijing'), /unknown city "beijing"/);
  });
});
