import { LEAF_SCHEME, treeHashing, type LeafScheme } from './hashing.js';

/**
 * The proof bundle of a document anchored in a Merkle batch: enough to recompute
 * the batch root from the document alone, and where that root was anchored.
 */
export interface InclusionProof {
  /** H(0x00 || documentHash), hex: SHA-256 of the SHA-256 content hash, or for `rfc9162-sm3/v1` SM3 of the SM3 content hash. */
  leafHash: string;
  /** Zero-based position of the leaf in the batch. */
  leafIndex: number;
  /** Number of leaves in the batch. */
  treeSize: number;
  /** Sibling hashes from the leaf up to the root (RFC 9162 §2.1.3 inclusion path), hex. */
  auditPath: string[];
  /** Batch root, hex. */
  root: string;
  /** Transaction that anchored the root, when known. */
  txId?: string;
  /** Block holding that transaction, when known. */
  blockNumber?: number;
}

/**
 * Recomputes the root from a leaf hash and its audit path, per the
 * verification algorithm of RFC 9162 §2.1.3.2, with the node hash of
 * `scheme` (default `rfc9162-sha256/v1`). Returns the root (hex), or
 * `undefined` when the path does not fit the tree size.
 */
export function rootFromInclusionPath(
  leaf: Uint8Array,
  leafIndex: number,
  treeSize: number,
  auditPath: readonly string[],
  scheme: LeafScheme = LEAF_SCHEME,
): string | undefined {
  const { nodeHash } = treeHashing(scheme);
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return undefined;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  for (const hex of auditPath) {
    if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
    const p = Buffer.from(hex, 'hex');
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return undefined;
  return Buffer.from(r).toString('hex');
}

/**
 * True when `proof` shows that the document with content hash
 * `documentHashHex` (its SHA-256, or its SM3 for `rfc9162-sm3/v1`) is the
 * leaf at `proof.leafIndex` of a tree of `scheme` (default
 * `rfc9162-sha256/v1`) whose root is `proof.root`. The caller still has to
 * check that this root is the one anchored on the ledger for that scheme.
 */
export function verifyInclusion(documentHashHex: string, proof: InclusionProof, scheme: LeafScheme = LEAF_SCHEME): boolean {
  if (!/^[0-9a-f]{64}$/.test(documentHashHex)) return false;
  const leaf = treeHashing(scheme).leafHash(Buffer.from(documentHashHex, 'hex'));
  if (leaf.toString('hex') !== proof.leafHash) return false;
  return rootFromInclusionPath(leaf, proof.leafIndex, proof.treeSize, proof.auditPath, scheme) === proof.root;
}
