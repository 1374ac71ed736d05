import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { isSubjectPseudonym, PSEUDONYM_SCHEME, subjectPseudonym } from './pseudonym.js';

const SECRET = 'consortium test secret';

describe('subject pseudonyms', () => {
  it('is ps1- and the HMAC-SHA-256, under the consortium secret, of kind:IDENTIFIER', () => {
    const expected = createHmac('sha256', SECRET).update('enterprise:91350100M000100Y43').digest('hex');
    assert.equal(subjectPseudonym(SECRET, { kind: 'enterprise', uscc: '91350100M000100Y43' }), `ps1-${expected}`);
    assert.equal(PSEUDONYM_SCHEME, 'ps1');
  });

  it('is deterministic, ignores the letter case of the identifier, and has the pseudonym form', () => {
    const a = subjectPseudonym(SECRET, { kind: 'person', idNumber: '11010519491231002X' });
    const b = subjectPseudonym(SECRET, { kind: 'person', idNumber: '11010519491231002x' });
    assert.equal(a, b);
    assert.ok(isSubjectPseudonym(a));
  });

  it('differs by secret, by subject, and by kind for the same characters', () => {
    const id = '91350100M000100Y43';
    const base = subjectPseudonym(SECRET, { kind: 'enterprise', uscc: id });
    assert.notEqual(base, subjectPseudonym('another secret', { kind: 'enterprise', uscc: id }));
    assert.notEqual(base, subjectPseudonym(SECRET, { kind: 'enterprise', uscc: '91370200MA3C5X9K2L' }));
    assert.notEqual(base, subjectPseudonym(SECRET, { kind: 'person', idNumber: id }));
  });

  it('cannot be recomputed from the identifier alone: it is not a plain SHA-256 of it', async () => {
    const { createHash } = await import('node:crypto');
    const plain = createHash('sha256').update('enterprise:91350100M000100Y43').digest('hex');
    assert.notEqual(subjectPseudonym(SECRET, { kind: 'enterprise', uscc: '91350100M000100Y43' }), `ps1-${plain}`);
  });

  it('recognises only the pseudonym form', () => {
    assert.equal(isSubjectPseudonym(`ps1-${'0'.repeat(64)}`), true);
    for (const value of [
      `ps1-${'A'.repeat(64)}`,
      `ps2-${'0'.repeat(64)}`,
      `ps1-${'0'.repeat(63)}`,
      `ps1-${'0'.repeat(65)}`,
      '91350100M000100Y43',
      42,
      undefined,
    ]) {
      assert.equal(isSubjectPseudonym(value), false, String(value));
    }
  });
});
