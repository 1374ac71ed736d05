import { MerkleTree } from 'merkletreejs';
import { leafHash, nodeHash } from './hashing.js';
import type { InclusionProof } from './proof.js';

/**
 * A Merkle batch over document hashes. Built with merkletreejs, with leaves
 * pre-hashed as RFC 9162 leaves and inner nodes hashed with the 0x01 prefix.
 * An odd node at the end of a level is carried up unchanged, which gives
 * exactly the tree of RFC 9162 §2.1.1 for any number of leaves.
 */
export class MerkleBatch {
  readonly #tree: MerkleTree;
  readonly #leaves: Buffer[];

  /** @param documentHashes the SHA-256 of each document, in leaf order (32 bytes each). */
  constructor(documentHashes: readonly Uint8Array[]) {
    if (documentHashes.length === 0) throw new RangeError('a Merkle batch needs at least one leaf');
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
