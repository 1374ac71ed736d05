import { LEAF_SCHEME, treeHashing, type LeafScheme } from './hashing.js';
import { MerkleBatch } from './tree.js';

/**
 * Consistency proofs of an append-only Merkle log (RFC 9162 §2.1.4): a
 * proof that the tree of the first `first` entries is a prefix of the tree
 * of `second` entries, so a log cannot rewrite or drop an entry it showed
 * before without the proof failing against heads it signed earlier.
 * Subtree roots are computed with {@link MerkleBatch}, the project's one
 * Merkle tree, so both kinds of proof come from the same hashing.
 */

/** MTH of a slice of entries (leaf entries as given to {@link MerkleBatch}). */
function subtreeRoot(entries: readonly Uint8Array[], scheme: LeafScheme): string {
  return new MerkleBatch(entries, scheme).rootHex;
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1. */
function subproof(m: number, entries: readonly Uint8Array[], complete: boolean, scheme: LeafScheme): string[] {
  const n = entries.length;
  if (m === n) return complete ? [] : [subtreeRoot(entries, scheme)];
  const k = split(n);
  if (m <= k) return [...subproof(m, entries.slice(0, k), complete, scheme), subtreeRoot(entries.slice(k), scheme)];
  return [...subproof(m - k, entries.slice(k), false, scheme), subtreeRoot(entries.slice(0, k), scheme)];
}

/**
 * The consistency proof PROOF(first, D[second]) between the tree of the
 * first `first` entries and the tree of the first `second` entries (hex
 * node hashes). `entries` holds at least `second` leaf entries (each the
 * 32-byte hash an entry is logged as). Empty when `first` is 0 or equals `second`.
 *
 * @throws RangeError when the sizes are not 0 ≤ first ≤ second ≤ entries.length.
 */
export function consistencyProof(
  entries: readonly Uint8Array[],
  first: number,
  second: number,
  scheme: LeafScheme = LEAF_SCHEME,
): string[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second || second > entries.length)
    throw new RangeError(`no consistency proof from size ${first} to size ${second} of a log of ${entries.length}`);
  if (first === 0 || first === second) return [];
  return subproof(first, entries.slice(0, second), true, scheme);
}

/**
 * Checks a consistency proof between two tree heads, per the verification
 * algorithm of RFC 9162 §2.1.4.2: true when the tree of size `first` with
 * root `firstRoot` is a prefix of the tree of size `second` with root
 * `secondRoot`. A first size of 0 is consistent with anything (empty proof);
 * equal sizes need equal roots and an empty proof.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: string,
  secondRoot: string,
  proof: readonly string[],
  scheme: LeafScheme = LEAF_SCHEME,
): boolean {
  const { nodeHash } = treeHashing(scheme);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (!proof.every((h) => /^[0-9a-f]{64}$/.test(h))) return false;
  if (first === 0) return proof.length === 0;
  if (first === second) return proof.length === 0 && firstRoot === secondRoot;
  const path = proof.map((h) => Buffer.from(h, 'hex'));
  // When `first` is a power of two its tree is a complete subtree: its root starts the path.
  if ((first & (first - 1)) === 0) path.unshift(Buffer.from(firstRoot, 'hex'));
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  const [head, ...rest] = path;
  if (head === undefined) return false;
  let fr: Uint8Array = head;
  let sr: Uint8Array = head;
  for (const c of rest) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.from(fr).toString('hex') === firstRoot && Buffer.from(sr).toString('hex') === secondRoot;
}
