import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  leafHash,
  leafHashSm3,
  LEAF_SCHEME,
  LEAF_SCHEME_SM3,
  MerkleBatch,
  nodeHash,
  nodeHashSm3,
  rootFromInclusionPath,
  verifyInclusion,
  type InclusionProof,
  type LeafScheme,
} from './index.js';

/**
 * An independent implementation of RFC 9162 §2.1.1 (MTH) and §2.1.3.1 (PATH),
 * written recursively from the RFC's definitions, against which the batch
 * built with merkletreejs is checked.
 */
const digest =
  (algorithm: 'sha256' | 'sm3') =>
  (...parts: Uint8Array[]): Buffer => {
    const hash = createHash(algorithm);
    for (const part of parts) hash.update(part);
    return hash.digest();
  };
const sha256 = digest('sha256');

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

type Hash = (...parts: Uint8Array[]) => Buffer;

/** MTH(D[n]) of RFC 9162, with hash function `h`. */
function mth(entries: readonly Buffer[], h: Hash = sha256): Buffer {
  if (entries.length === 0) return h();
  if (entries.length === 1) return h(Uint8Array.of(0), entries[0] as Buffer);
  const k = split(entries.length);
  return h(Uint8Array.of(1), mth(entries.slice(0, k), h), mth(entries.slice(k), h));
}

/** PATH(m, D[n]) of RFC 9162: sibling hashes from the leaf up. */
function path(m: number, entries: readonly Buffer[], h: Hash = sha256): Buffer[] {
  if (entries.length <= 1) return [];
  const k = split(entries.length);
  return m < k
    ? [...path(m, entries.slice(0, k), h), mth(entries.slice(k), h)]
    : [...path(m - k, entries.slice(k), h), mth(entries.slice(0, k), h)];
}

/** n document hashes. */
function documents(n: number, h: Hash = sha256): Buffer[] {
  return Array.from({ length: n }, (_, i) => h(Buffer.from(`document ${i}`)));
}

describe('Merkle batches (RFC 9162 leaf/node hashing)', () => {
  it('hashes leaves with 0x00 and inner nodes with 0x01', () => {
    const a = sha256(Buffer.from('a'));
    const b = sha256(Buffer.from('b'));
    assert.deepEqual(leafHash(a), sha256(Uint8Array.of(0), a));
    assert.deepEqual(nodeHash(a, b), sha256(Uint8Array.of(1), a, b));
    assert.equal(LEAF_SCHEME, 'rfc9162-sha256/v1');
  });

  it('gives the RFC 9162 root for every size from 1 to 70', () => {
    for (let n = 1; n <= 70; n++) {
      const docs = documents(n);
      const batch = new MerkleBatch(docs);
      assert.equal(batch.size, n);
      assert.equal(batch.rootHex, mth(docs).toString('hex'), `size ${n}`);
    }
  });

  it('gives for every leaf the RFC 9162 audit path, which verifies, for every size from 1 to 70', () => {
    for (let n = 1; n <= 70; n++) {
      const docs = documents(n);
      const batch = new MerkleBatch(docs);
      for (let i = 0; i < n; i++) {
        const proof = batch.proof(i);
        assert.deepEqual(
          proof.auditPath,
          path(i, docs).map((h) => h.toString('hex')),
          `size ${n}, leaf ${i}`,
        );
        assert.equal(proof.treeSize, n);
        assert.equal(proof.leafIndex, i);
        assert.equal(proof.root, batch.rootHex);
        assert.equal(verifyInclusion((docs[i] as Buffer).toString('hex'), proof), true, `size ${n}, leaf ${i}`);
      }
    }
  });

  it('rejects a proof for another document, another index, another size, a tampered path or another root', () => {
    const docs = documents(13);
    const batch = new MerkleBatch(docs);
    const proof = batch.proof(5);
    const doc = (docs[5] as Buffer).toString('hex');
    assert.equal(verifyInclusion((docs[6] as Buffer).toString('hex'), proof), false);
    assert.equal(verifyInclusion(doc, { ...proof, leafIndex: 4 }), false);
    assert.equal(verifyInclusion(doc, { ...proof, treeSize: 6 }), false, 'a size whose tree puts the leaf elsewhere');
    assert.equal(verifyInclusion(doc, { ...proof, treeSize: 5 }), false, 'a size without that leaf');
    // A size giving the leaf the same path shape (here 14) recomputes the same root: which is why a
    // verifier takes the tree size from the anchored batch (leafCount), not from the proof alone.
    assert.equal(verifyInclusion(doc, { ...proof, treeSize: 14 }), true);
    assert.equal(verifyInclusion(doc, { ...proof, auditPath: [...proof.auditPath].reverse() }), false);
    assert.equal(verifyInclusion(doc, { ...proof, auditPath: proof.auditPath.slice(1) }), false);
    assert.equal(verifyInclusion(doc, { ...proof, auditPath: [...proof.auditPath, proof.root] }), false);
    assert.equal(verifyInclusion(doc, { ...proof, root: 'f'.repeat(64) }), false);
    assert.equal(verifyInclusion(doc.toUpperCase(), proof), false);
  });

  it('cannot be fooled by an inner node presented as a leaf', () => {
    const docs = documents(8);
    const batch = new MerkleBatch(docs);
    // The inner node over leaves 0 and 1, and its path in the tree of the four level-1 nodes.
    const inner = mth(docs.slice(0, 2));
    const innerPath = [mth(docs.slice(2, 4)), mth(docs.slice(4, 8))].map((h) => h.toString('hex'));
    // Without domain separation that path would lead to the root: the attack is real.
    assert.equal(rootFromInclusionPath(inner, 0, 4, innerPath), batch.rootHex);
    // Claimed as a document, the node is hashed as a leaf (0x00 prefix) and no longer leads to the root.
    const forged: InclusionProof = {
      leafHash: leafHash(inner).toString('hex'),
      leafIndex: 0,
      treeSize: 4,
      auditPath: innerPath,
      root: batch.rootHex,
    };
    assert.equal(verifyInclusion(inner.toString('hex'), forged), false);
    // Nor can the node itself be passed off as the leaf hash.
    assert.equal(verifyInclusion(inner.toString('hex'), { ...forged, leafHash: inner.toString('hex') }), false);
  });

  it('refuses an empty batch and a proof of a missing leaf', () => {
    assert.throws(() => new MerkleBatch([]), RangeError);
    assert.throws(() => new MerkleBatch(documents(3)).proof(3), RangeError);
  });
});

describe('Merkle batches with SM3 (rfc9162-sm3/v1)', () => {
  const sm3 = digest('sm3');
  const scheme: LeafScheme = LEAF_SCHEME_SM3;

  it('hashes leaves with SM3(0x00 || entry) and inner nodes with SM3(0x01 || left || right)', () => {
    const a = sm3(Buffer.from('a'));
    const b = sm3(Buffer.from('b'));
    assert.deepEqual(leafHashSm3(a), sm3(Uint8Array.of(0), a));
    assert.deepEqual(nodeHashSm3(a, b), sm3(Uint8Array.of(1), a, b));
    assert.equal(LEAF_SCHEME_SM3, 'rfc9162-sm3/v1');
  });

  it('gives the RFC 9162 root and audit paths with SM3, which verify, for every size from 1 to 70', () => {
    for (let n = 1; n <= 70; n++) {
      const docs = documents(n, sm3);
      const batch: MerkleBatch = new MerkleBatch(docs, scheme);
      assert.equal(batch.scheme, scheme);
      assert.equal(batch.rootHex, mth(docs, sm3).toString('hex'), `size ${n}`);
      assert.notEqual(batch.rootHex, new MerkleBatch(docs).rootHex, 'the SHA-256 tree of the same entries differs');
      for (let i = 0; i < n; i++) {
        const proof = batch.proof(i);
        assert.deepEqual(
          proof.auditPath,
          path(i, docs, sm3).map((h) => h.toString('hex')),
          `size ${n}, leaf ${i}`,
        );
        assert.equal(verifyInclusion((docs[i] as Buffer).toString('hex'), proof, scheme), true, `size ${n}, leaf ${i}`);
        if (n > 1) assert.equal(verifyInclusion((docs[i] as Buffer).toString('hex'), proof), false, 'not a SHA-256 proof');
      }
    }
  });

  it('cannot be fooled by an inner node presented as a leaf', () => {
    const docs = documents(8, sm3);
    const batch = new MerkleBatch(docs, scheme);
    const inner = mth(docs.slice(0, 2), sm3);
    const innerPath = [mth(docs.slice(2, 4), sm3), mth(docs.slice(4, 8), sm3)].map((h) => h.toString('hex'));
    assert.equal(rootFromInclusionPath(inner, 0, 4, innerPath, scheme), batch.rootHex);
    const forged: InclusionProof = {
      leafHash: leafHashSm3(inner).toString('hex'),
      leafIndex: 0,
      treeSize: 4,
      auditPath: innerPath,
      root: batch.rootHex,
    };
    assert.equal(verifyInclusion(inner.toString('hex'), forged, scheme), false);
  });
});
