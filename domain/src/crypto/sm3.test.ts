import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSm3Hex, sm3, sm3Hex } from './sm3.js';

describe('SM3 (GB/T 32905-2016)', () => {
  it('gives the digests of the standard examples (GB/T 32905-2016 Annex A)', () => {
    // Example 1: the 3-byte message "abc".
    assert.equal(sm3Hex('abc'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    // Example 2: the 64-byte message "abcd" repeated 16 times.
    assert.equal(sm3Hex('abcd'.repeat(16)), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
    assert.equal(sm3('abc').length, 32);
    assert.equal(isSm3Hex(sm3Hex('abc')), true);
    assert.equal(isSm3Hex(sm3Hex('abc').toUpperCase()), false);
  });

  it('agrees with `openssl dgst -sm3` on random inputs of every padding case', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jcc-sm3-'));
    try {
      for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 4099]) {
        const input = randomBytes(length);
        const file = join(dir, `in-${length}`);
        writeFileSync(file, input);
        const out = execFileSync('openssl', ['dgst', '-sm3', '-r', file], { encoding: 'utf8' });
        assert.equal(sm3Hex(input), out.split(' ')[0], `length ${length}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
