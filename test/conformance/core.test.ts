/**
 * The conformance vectors against the verification core, with an in-memory
 * ledger port holding exactly each vector's ledger facts.
 */
import assert from 'node:assert/strict';
import { verdictSchema, verifyDocument } from '@jcc/domain';
import { MemoryPort, loadVectors, verdictOutline } from './vector.js';

describe('conformance vectors: the verification core', () => {
  const vectors = loadVectors();

  it('covers every failure class and the valid cases', () => {
    const names = vectors.map((v) => v.name);
    for (const name of [
      'valid-single',
      'valid-batch',
      'valid-rotated-key',
      'valid-not-recognised',
      'tampered-signature',
      'unknown-kid',
      'revoked',
      'superseded',
      'expired',
      'payload-not-canonical',
      'header-extra-member',
      'issued-in-future',
      'batch-outside-range',
      'anchor-issuedat-differs',
      'anchor-validuntil-differs',
      'anchor-doctype-differs',
      'jws-trailing-newline',
      'sm2-dual-valid',
      'sm2-only-valid',
      'sm2-tampered-signature',
      'sm2-key-not-registered',
      'sm2-anchor-sm3-differs',
    ])
      assert.ok(names.includes(name), `no vector ${name}`);
  });

  for (const vector of vectors) {
    it(`${vector.name}: ${vector.description}`, async () => {
      const verdict = await verifyDocument(vector.bundle, new MemoryPort(vector.ledger), {
        verifyingCity: vector.verifyingCity,
        now: new Date(vector.now),
      });
      verdictSchema.parse(verdict);
      assert.deepEqual(verdictOutline(verdict, vector), vector.expected, JSON.stringify(verdict.checks, null, 1));
    });
  }
});
