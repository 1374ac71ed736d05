import { createHash } from 'node:crypto';

/**
 * Leaf and node hashing of the Merkle batches, with the domain separation of
 * RFC 9162 §2.1.1: a leaf is hashed with a 0x00 prefix, an inner node with a
 * 0x01 prefix, so an inner node can never be presented as a leaf.
 */

/** Identifier of the leaf scheme written on the ledger with every batch. */
export const LEAF_SCHEME = 'rfc9162-sha256/v1';

/** SHA-256(0x00 || entry): the hash of one leaf. The entry is a document's 32-byte SHA-256. */
export function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(Uint8Array.of(0)).update(entry).digest();
}

/** SHA-256(0x01 || left || right): the hash of an inner node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(Uint8Array.of(1)).update(left).update(right).digest();
}
