import { z } from 'zod';
import { cityIdField, recordIdField, verdictSchema, verificationBundleSchema } from '@jcc/domain';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { decodeDocumentJws } from '../issue/document-jws.js';
import { PeerGatewayError } from '../peers/peer-gateways.js';
import { proofBundleSchema } from './proof-schema.js';
import type { Services } from '../services.js';

/** Largest JWS accepted for verification (characters). */
export { MAX_JWS_LENGTH } from '@jcc/domain';

/** Body of `POST /api/v1/verify`: the core's verification bundle. */
export const verifyBody = verificationBundleSchema;

/** Routes of verification. */
export function verifyRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/verify',
      operationId: 'verifyDocument',
      summary: 'Verify a document of any of the five cities against the ledger',
      description:
        'Public and rate-limited. Answers each check separately (passed, failed or not-checked; docs/verification.md); a malformed JWS is a 200 with the signature check failing and the other checks not-checked. Batch-anchored documents are verified with the proof bundle sent, or one this gateway finds (its own store, or the issuing gateway).',
      tags: ['verification'],
      access: 'public',
      rateLimited: true,
      lean: true,
      body: verifyBody,
      responses: { 200: { description: 'the verdict', schema: verdictSchema } },
      async handler({ body }) {
        const verdict = await s.verifier.verifyJson(body);
        s.metrics.verifications.inc({ valid: String(verdict.valid) });
        return { status: 200, json: verdict.json };
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
      responses: {
        200: {
          description: 'the document as the issuing gateway sent it, and its verdict here',
          schema: z.object({
            city: cityIdField,
            id: z.string(),
            jws: z.string(),
            proof: proofBundleSchema.optional(),
            verification: verdictSchema,
          }),
        },
        502: { description: 'the peer gateway failed' },
      },
      async handler({ params, principal }) {
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
        if (document)
          await s.accessLog.record({
            action: 'document-fetched',
            subjectPseudonym: document.subject.pseudonym,
            principal,
            document: { city: params.city, id: params.id },
          });
        const verification = await s.verifier.verify(fetched);
        return {
          status: 200,
          body: { city: params.city, id: params.id, jws: fetched.jws, ...(fetched.proof ? { proof: fetched.proof } : {}), verification },
        };
      },
    }),
  ];
}
