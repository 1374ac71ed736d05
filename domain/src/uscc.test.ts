import assert from 'node:assert/strict';
import { isValidUscc, usccCheckCharacter, usccProblem } from './uscc.js';

describe('USCC (GB 32100-2015)', () => {
  it('accepts a code whose check character matches', () => {
    const body = '91370200MA3C5X9K2';
    assert.equal(isValidUscc(body + usccCheckCharacter(body)), true);
  });

  it('refuses a code whose check character is wrong, naming the reason', () => {
    const body = '91370200MA3C5X9K2';
    const good = usccCheckCharacter(body);
    const bad = good === '0' ? '1' : '0';
    assert.equal(isValidUscc(body + bad), false);
    assert.match(usccProblem(body + bad) ?? '', /check character/);
  });

  it('refuses letters outside the alphabet, wrong length and non-strings', () => {
    assert.equal(isValidUscc('91370200MA3C5X9KIO'), false);
    assert.equal(isValidUscc('91370200'), false);
    assert.equal(isValidUscc(913702), false);
  });

  it('computes the check character of a published code', () => {
    // 91350100M000100Y43 is the example given in GB 32100-2015 annex.
    assert.equal(usccCheckCharacter('91350100M000100Y4'), '3');
  });
});
