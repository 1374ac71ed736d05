import { z } from 'zod';
import { CITY_IDS, type CityId } from '../cities.js';
import { DOCUMENT_TYPES } from '../document.js';
import { CHECK_NAMES, CHECK_STATES } from './checks.js';

/** One signature of the JWS, as the `signature` check judged it (a JWS may carry several). */
export const signatureResultSchema = z
  .object({
    kid: z.string().describe('the key id named by the signature'),
    alg: z.string().describe('the JWS algorithm of the signature'),
    state: z.enum(CHECK_STATES),
    reason: z.string().describe('stable reason code (docs/verification.md)'),
  })
  .describe('One signature of the document');

/** The outcome of one check. */
export const checkResultSchema = z
  .object({
    check: z.enum(CHECK_NAMES),
    state: z.enum(CHECK_STATES).describe('passed, failed, or not-checked (the check could not run)'),
    ok: z.boolean().describe('state === "passed"'),
    reason: z.string().describe('stable reason code, e.g. "verified", "mismatch", "not-registered" (docs/verification.md)'),
    detail: z.string().describe('a sentence saying why, for people (English)'),
    message: z
      .object({
        code: z.string().describe('"<check>.<reason>"; rendered in Chinese or English by the catalogue in domain/src/verify/messages.ts'),
        params: z.record(z.string(), z.union([z.string(), z.number()])).describe('the facts the sentence names (instants in UTC)'),
      })
      .optional()
      .describe("the detail as a message code with parameters, for rendering in the reader's language"),
    signatures: z.array(signatureResultSchema).optional().describe('signature check only: each signature of the JWS'),
  })
  .describe('One check of a verdict');

/** How a document's hash was found on the ledger. */
export const anchorFactsSchema = z.object({
  mode: z.enum(['single', 'batch']).nullable(),
  txId: z.string().nullable(),
  blockNumber: z.number().int().nullable(),
  anchoredAt: z.string().optional(),
  batchId: z.string().optional(),
  root: z.string().optional(),
  leafIndex: z.number().int().optional(),
  treeSize: z.number().int().optional(),
});

/**
 * Schema of a verdict: the answer of `POST /api/v1/verify`, of
 * `jcc verify --offline` and what the verification page renders.
 */
export const verdictSchema = z
  .object({
    valid: z.boolean().describe('authentic and in force: every check but recognised passed'),
    checks: z.array(checkResultSchema).describe('signature, issuerKey, anchored, status, notExpired, recognised — in this order'),
    issuer: z
      .object({ city: z.enum(CITY_IDS as [CityId, ...CityId[]]), mspId: z.string(), name: z.string(), nameZh: z.string() })
      .nullable(),
    document: z.object({ id: z.string(), type: z.enum(DOCUMENT_TYPES), issuedAt: z.string(), validUntil: z.string() }).nullable(),
    anchor: anchorFactsSchema,
    recognition: z
      .object({
        city: z.enum(CITY_IDS as [CityId, ...CityId[]]),
        recognised: z.boolean(),
        basis: z.enum(['agreement', 'record', 'none']),
        agreementId: z.string().optional(),
        decision: z.enum(['accepted', 'rejected']).optional(),
      })
      .nullable(),
    contentHash: z.string().nullable().describe("SHA-256 of the signed document's text, hex: the value anchored on the ledger"),
    verifiedBy: z.enum(CITY_IDS as [CityId, ...CityId[]]).describe('the verifying city'),
    verifiedAt: z.string().describe('the instant the verification judged "now" at'),
    ledgerHeight: z
      .number()
      .int()
      .nullable()
      .describe('number of blocks the ledger view held when verification began (null when the view cannot tell)'),
    source: z.enum(['index', 'peer']).describe("where the ledger facts came from: the gateway's index or a peer query"),
  })
  .describe('The verdict of a verification: each check separately');

/** A signature's result. */
export type SignatureResult = z.output<typeof signatureResultSchema>;
/** A check's result. */
export type CheckResult = z.output<typeof checkResultSchema>;
/** Anchor facts of a verdict. */
export type AnchorFacts = z.output<typeof anchorFactsSchema>;
/** A verdict. */
export type Verdict = z.output<typeof verdictSchema>;
