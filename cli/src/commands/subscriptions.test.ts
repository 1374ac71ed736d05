import assert from 'node:assert/strict';
import { NOTIFICATION_TYPES } from '@jcc/domain';
import { parseEvents } from './subscriptions.js';

describe('jcc subscriptions add --events', () => {
  it('takes comma-separated notification types, or all', () => {
    assert.deepEqual(parseEvents('document.revoked, objection.raised'), ['document.revoked', 'objection.raised']);
    assert.deepEqual(parseEvents('all'), [...NOTIFICATION_TYPES]);
  });

  it('refuses unknown or no types, naming them', () => {
    assert.throws(() => parseEvents('document.revoked,everything'), /unknown: everything/);
    assert.throws(() => parseEvents(' , '), /--events/);
  });
});
