import assert from 'node:assert/strict';
import { idNumberCheckCharacter, isValidIdNumber } from './idNumber.js';

describe('resident identity numbers (GB 11643-1999)', () => {
  it('accepts the published examples, whose check characters are X and 4', () => {
    assert.equal(idNumberCheckCharacter('11010519491231002'), 'X');
    assert.equal(isValidIdNumber('11010519491231002X'), true);
    assert.equal(idNumberCheckCharacter('44052418800101001'), '4');
    assert.equal(isValidIdNumber('440524188001010014'), false, 'born in 1880: before 1900');
  });

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    // Independent computation: sum of digit × 2^(17-i) mod 11, mapped through 1 − sum mod 11.
    const body = '37020019900307123';
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(body[i]) * (2 ** (17 - i) % 11);
    const value = (12 - (sum % 11)) % 11;
    assert.equal(idNumberCheckCharacter(body), value === 10 ? 'X' : String(value));
    assert.equal(isValidIdNumber(body + idNumberCheckCharacter(body)), true);
  });

  it('refuses a wrong check character, a lower-case x, and an impossible birth date', () => {
    assert.equal(isValidIdNumber('110105194912310021'), false);
    assert.equal(isValidIdNumber('11010519491231002x'), false);
    const feb30 = '37020019900230123';
    assert.equal(isValidIdNumber(feb30 + idNumberCheckCharacter(feb30)), false);
    const month13 = '37020019901301123';
    assert.equal(isValidIdNumber(month13 + idNumberCheckCharacter(month13)), false);
  });

  it('refuses wrong lengths and non-strings, and a body that is not 17 digits', () => {
    for (const value of ['1101051949123100', '11010519491231002X1', '', 11010519491231, null]) assert.equal(isValidIdNumber(value), false);
    assert.throws(() => idNumberCheckCharacter('1101051949123100X'), RangeError);
  });
});
