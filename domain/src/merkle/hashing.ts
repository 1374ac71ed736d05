import { createHash } from 'node:crypto';
import { createSm3 } from '../crypto/sm3.js';

/**
 * Leaf and node hashing of the Merkle batches, with the domain separation of
 * RFC 9162 §2.1.1: a leaf is hashed with a 0x00 prefix, an inner node with a
 * 0x01 prefix, so an inner node can never be presented as a leaf. Two
 * schemes share that tree: `rfc9162-sha256/v1` (SHA-256, over the documents'
 * SHA-256 content hashes) and `rfc9162-sm3/v1` (SM3 in place of SHA-256, over
 * their SM3 content hashes), for verifiers that must use national algorithms only.
 */

/** Identifier of the SHA-256 leaf scheme written on the ledger with every batch. */
export const LEAF_SCHEME = 'rfc9162-sha256/v1';

/** Identifier of the SM3 leaf scheme: the RFC 9162 tree with SM3 (GB/T 32905) in place of SHA-256. */
export const LEAF_SCHEME_SM3 = 'rfc9162-sm3/v1';

/** The leaf schemes a batch tree can be built with. */
export const LEAF_SCHEMES = [LEAF_SCHEME, LEAF_SCHEME_SM3] as const;

/** One of {@link LEAF_SCHEMES}. */
export type LeafScheme = (typeof LEAF_SCHEMES)[number];

/** The leaf and node hash functions of one scheme. */
export interface TreeHashing {
  scheme: LeafScheme;
  /** H(0x00 || entry). */
  leafHash(entry: Uint8Array): Buffer;
  /** H(0x01 || left || right). */
  nodeHash(left: Uint8Array, right: Uint8Array): Buffer;
}

/** SHA-256(0x00 || entry): the hash of one leaf. The entry is a document's 32-byte SHA-256. */
export function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(Uint8Array.of(0)).update(entry).digest();
}

/** SHA-256(0x01 || left || right): the hash of an inner node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Uint8Array.of(1)).update(left).update(right).digest();
}

/** SM3(0x00 || entry): the hash of one `rfc9162-sm3/v1` leaf. The entry is a document's 32-byte SM3. */
export function leafHashSm3(entry: Uint8Array): Buffer {
  return createSm3().update(Uint8Array.of(0)).update(entry).digest();
}

/** SM3(0x01 || left || right): the hash of an `rfc9162-sm3/v1` inner node. */
export function nodeHashSm3(left: Uint8Array, right: Uint8Array): Buffer {
  return createSm3().update(Uint8Array.of(1)).update(left).update(right).digest();
}

const HASHINGS: Record<LeafScheme, TreeHashing> = {
  [LEAF_SCHEME]: { scheme: LEAF_SCHEME, leafHash, nodeHash },
  [LEAF_SCHEME_SM3]: { scheme: LEAF_SCHEME_SM3, leafHash: leafHashSm3, nodeHash: nodeHashSm3 },
};

/** The hash functions of `scheme`. */
export function treeHashing(scheme: LeafScheme): TreeHashing {
  const hashing = HASHINGS[scheme];
  if (!hashing) throw new RangeError(`unknown leaf scheme ${String(scheme)}`);
  return hashing;
}
