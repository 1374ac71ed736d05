import { z } from 'zod';
import { cityIdField, recordIdField } from '@jcc/domain';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { decodeDocumentJws } from '../issue/document-jws.js';
import { PeerGatewayError } from '../peers/peer-gateways.js';
import type { Services } from '../services.js';
import { proofBundleSchema } from './proof-schema.js';
import { CHECK_NAMES } from './verdict.js';

/** Largest JWS accepted for verification (characters). */
export const MAX_JWS_LENGTH = 512 * 1024;

/** Body of `POST /api/v1/verify`. */
export const verifyBody = z
  .strictObject({
    jws: z.string().min(1).max(MAX_JWS_LENGTH).describe('the document as a compact JWS'),
    proof: proofBundleSchema.optional(),
  })
  .describe('A signed document, with its proof bundle when it was anchored in a batch');

const checkSchema = z.object({ check: z.enum(CHECK_NAMES), ok: z.boolean(), detail: z.string() });

/** Schema of a verdict (documentation of `POST /api/v1/verify`). */
export const verdictSchema = z.object({
  valid: z.boolean().describe('authentic and in force: every check but recognised passed'),
  checks: z.array(checkSchema).describe('signature, issuerKey, anchored, status, notExpired, recognised — in this order'),
  issuer: z.object({ city: z.string(), mspId: z.string(), name: z.string(), nameZh: z.string() }).nullable(),
  document: z.object({ id: z.string(), type: z.string(), issuedAt: z.string(), validUntil: z.string() }).nullable(),
  anchor: z.object({
    mode: z.enum(['single', 'batch']).nullable(),
    txId: z.string().nullable(),
    blockNumber: z.number().nullable(),
    anchoredAt: z.string().optional(),
    batchId: z.string().optional(),
    root: z.string().optional(),
    leafIndex: z.number().optional(),
    treeSize: z.number().optional(),
  }),
  recognition: z
    .object({
      city: z.string(),
      recognised: z.boolean(),
      basis: z.enum(['agreement', 'record', 'none']),
      agreementId: z.string().optional(),
      decision: z.string().optional(),
    })
    .nullable(),
  contentHash: z.string().nullable(),
  verifiedBy: z.string(),
  verifiedAt: z.string(),
  source: z.enum(['index', 'peer']),
});

/** Routes of verification. */
export function verifyRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/verify',
      operationId: 'verifyDocument',
      summary: 'Verify a document of any of the five cities against the ledger',
      description:
        'Public and rate-limited. Answers each check separately; a malformed JWS is a 200 with the signature check failing. Batch-anchored documents are verified with the proof bundle sent, or one this gateway finds (its own store, or the issuing gateway).',
      tags: ['verification'],
      access: 'public',
      rateLimited: true,
      body: verifyBody,
      responses: { 200: { description: 'the verdict', schema: verdictSchema } },
      async handler({ body }) {
        const verdict = await s.verifier.verify(body);
        s.metrics.verifications.inc({ valid: String(verdict.valid) });
        return { status: 200, body: verdict };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/peer-documents/{city}/{id}',
      operationId: 'fetchPeerDocument',
      summary: "Fetch another city's document through its gateway and verify it here",
      tags: ['verification', 'gateway-to-gateway'],
      access: ['operator', 'regulator'],
      params: z.strictObject({ city: cityIdField, id: recordIdField }),
      responses: { 200: { description: '{city, id, jws, proof?, verification}' }, 502: { description: 'the peer gateway failed' } },
      async handler({ params }) {
        if (params.city === s.city)
          throw new HttpProblem(400, 'invalid-request', 'Invalid request', 'this is your own city: use GET /api/v1/reports/{id}');
        let fetched;
        try {
          fetched = await s.peers.fetchDocument(params.city, params.id);
        } catch (err) {
          if (err instanceof PeerGatewayError && err.status === 404)
            throw new HttpProblem(404, 'not-found', 'Not found', err.message, { code: 'NOT_FOUND' });
          throw new HttpProblem(502, 'peer-gateway', 'Peer gateway failed', (err as Error).message);
        }
        let document;
        try {
          document = decodeDocumentJws(fetched.jws).document;
        } catch {
          document = undefined;
        }
        if (document && (document.id !== params.id || document.issuer.city !== params.city)) {
          throw new HttpProblem(502, 'peer-gateway', 'Peer gateway failed', `the gateway of ${params.city} sent a different document`);
        }
        const verification = await s.verifier.verify(fetched);
        return {
          status: 200,
          body: { city: params.city, id: params.id, jws: fetched.jws, ...(fetched.proof ? { proof: fetched.proof } : {}), verification },
        };
      },
    }),
  ];
}
