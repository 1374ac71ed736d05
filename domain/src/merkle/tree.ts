import { MerkleTree } from 'merkletreejs';
import { LEAF_SCHEME, treeHashing, type LeafScheme } from './hashing.js';
import type { InclusionProof } from './proof.js';

/**
 * A Merkle batch over document hashes. Built with merkletreejs, with leaves
 * pre-hashed as RFC 9162 leaves and inner nodes hashed with the 0x01 prefix,
 * with SHA-256 (`rfc9162-sha256/v1`, the default) or SM3 (`rfc9162-sm3/v1`).
 * An odd node at the end of a level is carried up unchanged, which gives
 * exactly the tree of RFC 9162 §2.1.1 for any number of leaves.
 */
export class MerkleBatch {
  readonly #tree: MerkleTree;
  readonly #leaves: Buffer[];
  /** The leaf scheme the tree is built with. */
  readonly scheme: LeafScheme;

  /**
   * @param documentHashes the content hash of each document, in leaf order (32 bytes each):
   *   their SHA-256 for `rfc9162-sha256/v1`, their SM3 for `rfc9162-sm3/v1`.
   * @param scheme the leaf scheme, default `rfc9162-sha256/v1`.
   */
  constructor(documentHashes: readonly Uint8Array[], scheme: LeafScheme = LEAF_SCHEME) {
    if (documentHashes.length === 0) throw new RangeError('a Merkle batch needs at least one leaf');
    const { leafHash, nodeHash } = treeHashing(scheme);
    this.scheme = scheme;
    this.#leaves = documentHashes.map((h) => leafHash(h));
    // merkletreejs hashes the concatenation left||right with this function.
    const innerHash = (data: Buffer): Buffer => nodeHash(data.subarray(0, 32), data.subarray(32));
    this.#tree = new MerkleTree(this.#leaves, innerHash, { hashLeaves: false, sortPairs: false, duplicateOdd: false });
  }

  /** Number of leaves. */
  get size(): number {
    return this.#leaves.length;
  }

  /** Root hash, 64 hex characters. */
  get rootHex(): string {
    return this.#tree.getRoot().toString('hex');
  }

  /**
   * The inclusion proof of the leaf at `index`. Passing the index to
   * merkletreejs avoids its linear search for the leaf.
   */
  proof(index: number): Omit<InclusionProof, 'txId' | 'blockNumber'> {
    const leaf = this.#leaves[index];
    if (leaf === undefined) throw new RangeError(`no leaf at index ${index}`);
    const path = this.#tree.getProof(leaf, index).map((step) => step.data.toString('hex'));
    return {
      leafHash: leaf.toString('hex'),
      leafIndex: index,
      treeSize: this.#leaves.length,
      auditPath: path,
      root: this.rootHex,
    };
  }
}
