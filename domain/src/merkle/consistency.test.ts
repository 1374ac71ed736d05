import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { consistencyProof, MerkleBatch, verifyConsistency } from './index.js';

/** n entry hashes. */
function entries(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => createHash('sha256').update(`entry ${i}`).digest());
}

const root = (all: Buffer[], size: number): string => new MerkleBatch(all.slice(0, size)).rootHex;

describe('Merkle log consistency proofs (RFC 9162 §2.1.4)', () => {
  it('gives for every pair of sizes up to 40 a proof that verifies', () => {
    const all = entries(40);
    for (let second = 1; second <= 40; second++) {
      for (let first = 1; first <= second; first++) {
        const proof = consistencyProof(all, first, second);
        assert.equal(verifyConsistency(first, second, root(all, first), root(all, second), proof), true, `${first} → ${second}`);
      }
    }
  });

  it('matches the proofs of RFC 9162’s worked example (the 7-leaf tree)', () => {
    // RFC 9162 §2.1.5: from size 3 the proof is [c, d, g, l]; from 4, [l]; from 6, [i, j, k]. Checked by length and verification.
    const all = entries(7);
    assert.equal(consistencyProof(all, 3, 7).length, 4);
    assert.equal(consistencyProof(all, 4, 7).length, 1);
    assert.equal(consistencyProof(all, 4, 7)[0], new MerkleBatch(all.slice(4, 7)).rootHex);
    assert.equal(consistencyProof(all, 6, 7).length, 3);
  });

  it('fails when an entry of the first tree was changed, for a wrong root, a tampered or truncated proof, or swapped sizes', () => {
    const all = entries(21);
    const proof = consistencyProof(all, 13, 21);
    const rewritten = [...all];
    rewritten[5] = createHash('sha256').update('rewritten').digest();
    assert.equal(verifyConsistency(13, 21, root(rewritten, 13), root(all, 21), proof), false, 'history rewritten');
    assert.equal(verifyConsistency(13, 21, root(all, 13), root(rewritten, 21), proof), false, 'a new tree over other entries');
    assert.equal(verifyConsistency(13, 21, root(all, 13), root(all, 21), proof.slice(1)), false);
    assert.equal(verifyConsistency(13, 21, root(all, 13), root(all, 21), [...proof].reverse()), false);
    assert.equal(verifyConsistency(13, 21, root(all, 13), root(all, 21), [...proof, proof[0] as string]), false);
    assert.equal(verifyConsistency(12, 21, root(all, 13), root(all, 21), proof), false);
    assert.equal(verifyConsistency(21, 13, root(all, 21), root(all, 13), proof), false);
    assert.equal(verifyConsistency(13, 13, root(all, 13), root(all, 21), []), false, 'equal sizes need equal roots');
    assert.equal(verifyConsistency(13, 13, root(all, 13), root(all, 13), []), true);
    assert.equal(verifyConsistency(0, 21, '', root(all, 21), []), true);
    assert.throws(() => consistencyProof(all, 5, 22), RangeError);
    assert.throws(() => consistencyProof(all, 6, 5), RangeError);
  });
});
