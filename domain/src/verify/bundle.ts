import { z } from 'zod';
import { RECORD_ID_PATTERN } from '../document.js';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters');

/** Largest JWS accepted for verification (characters). */
export const MAX_JWS_LENGTH = 512 * 1024;

/** The members of a proof bundle's SM3 (`rfc9162-sm3/v1`) inclusion proof: all three or none. */
export const SM3_PROOF_FIELDS = ['leafHashSm3', 'auditPathSm3', 'rootSm3'] as const;

/**
 * Schema of a proof bundle: the Merkle inclusion proof of a batch-anchored
 * document (RFC 9162 audit path) and where its root was anchored. A document
 * of a batch anchored with an `rfc9162-sm3/v1` root (`rootSm3`, batches
 * holding documents signed with SM2) also carries its SM3 inclusion proof:
 * `leafHashSm3`, `auditPathSm3` and `rootSm3`, all three or none, at the same
 * `leafIndex` of a tree of the same `treeSize` (SM3 国密 audit path).
 */
export const proofBundleSchema = z
  .object({
    leafHash: hex64.describe('SHA-256(0x00 || SHA-256(jws)), hex'),
    leafIndex: z.number().int().min(0).describe('zero-based position of the leaf in the batch'),
    treeSize: z.number().int().min(1).describe('number of leaves in the batch'),
    auditPath: z.array(hex64).max(64).describe('sibling hashes from the leaf up to the root (RFC 9162 §2.1.3)'),
    root: hex64.describe('the batch root anchored with reports:AnchorBatch'),
    batchId: z.string().regex(RECORD_ID_PATTERN).optional().describe('id of the batch on the ledger (default: `<city>.batch.<root>`)'),
    txId: z.string().min(1).max(128).optional().describe('transaction that anchored the root'),
    blockNumber: z.number().int().min(0).optional().describe('block holding that transaction'),
    leafHashSm3: hex64.optional().describe('rfc9162-sm3/v1: SM3(0x00 || SM3(jws)), hex'),
    auditPathSm3: z
      .array(hex64)
      .max(64)
      .optional()
      .describe('rfc9162-sm3/v1: SM3 sibling hashes from the leaf up to rootSm3 (RFC 9162 §2.1.3, SM3 in place of SHA-256)'),
    rootSm3: hex64.optional().describe('the batch root of the rfc9162-sm3/v1 tree, anchored as rootSm3 with reports:AnchorBatch'),
  })
  .strict()
  .superRefine((proof, ctx) => {
    const given = SM3_PROOF_FIELDS.filter((f) => proof[f] !== undefined);
    if (given.length !== 0 && given.length !== SM3_PROOF_FIELDS.length)
      for (const f of SM3_PROOF_FIELDS)
        if (proof[f] === undefined)
          ctx.addIssue({ code: 'custom', path: [f], message: `is required with ${given.join(' and ')} (the SM3 proof comes whole)` });
  })
  .describe('Proof bundle of a batch-anchored document');

/** A proof bundle. */
export type ProofBundle = z.output<typeof proofBundleSchema>;

/**
 * Schema of what is verified: a signed document (a compact JWS, or a JWS in
 * the general JSON serialization as its canonical JSON text; taken exactly as
 * given: nothing is trimmed) and, for a batch-anchored document, its proof bundle.
 */
export const verificationBundleSchema = z
  .strictObject({
    jws: z
      .string()
      .min(1)
      .max(MAX_JWS_LENGTH)
      .describe('the signed document: a compact JWS, or the exact text of a JWS in the general JSON serialization (RFC 7515 §7.2.1)'),
    proof: proofBundleSchema.optional(),
  })
  .describe('A signed document, with its proof bundle when it was anchored in a batch');

/** A verification bundle `{jws, proof?}`. */
export type VerificationBundle = z.output<typeof verificationBundleSchema>;

/** The id of the ledger batch whose root is `root`, as the gateways name batches. */
export function batchIdFor(city: string, root: string): string {
  return `${city}.batch.${root}`;
}
