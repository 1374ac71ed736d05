import { z } from 'zod';
import { documentStatusRecordSchema, freeTextField, recordIdField, supersedeDocumentInput } from '@jcc/domain';
import { route, type AnyRoute } from '../http/route.js';
import { reportListRoutes } from '../reports/list-routes.js';
import type { Services } from '../services.js';
import { assertReadyToIssue } from './readiness.js';
import { proofBundleSchema } from '../verify/proof-schema.js';
import { issueBulkRoute } from './bulk-route.js';
import {
  documentAnchorViewSchema,
  documentStatusViewSchema,
  REPORT_STATES,
  type DocumentState,
  type StatusChange,
} from './document-service.js';
import { requestFingerprint } from './issuer.js';
import { issueReportBody } from './request-schema.js';

export { issueReportBody } from './request-schema.js';

const idParams = z.strictObject({ id: recordIdField });

const issuedResponse = z.object({ id: z.string(), jws: z.string(), anchor: z.enum(['single', 'batch']), statusUrl: z.string() });

/** {@link StatusChange}: a status record as revoke and supersede answer it, with the block that holds it and the reason's text. */
const statusChangeSchema = documentStatusRecordSchema.extend({
  reason: z.string().describe('the reason, kept in this gateway'),
  blockNumber: z.number().int(),
}) satisfies z.ZodType<StatusChange>;

const reportStateSchema = z.object({
  id: z.string(),
  type: z.string(),
  state: z.enum(REPORT_STATES),
  issuedAt: z.string(),
  validUntil: z.string(),
  kid: z.string(),
  contentHash: z.string(),
  /** Absent once the body was removed under the retention setting (`bodyRemovedAt`). */
  jws: z.string().optional(),
  bodyRemovedAt: z.string().optional(),
  anchor: documentAnchorViewSchema,
  proof: proofBundleSchema.optional(),
  status: documentStatusViewSchema.optional(),
  failure: z.object({ code: z.string(), detail: z.string(), at: z.string() }).optional(),
}) satisfies z.ZodType<DocumentState>;

/** Why a document is revoked or superseded: free text, kept in this gateway (the ledger gets its salted SHA-256). */
const statusReasonField = freeTextField.describe(
  'why (free text, no personal identifiers; kept in this gateway, the ledger gets its salted SHA-256)',
);

/** Routes of issuing and managing documents. */
export function issueRoutes(s: Services): AnyRoute[] {
  return [
    ...reportListRoutes(s),
    route({
      method: 'post',
      path: '/api/v1/reports',
      operationId: 'issueReport',
      summary: 'Issue a signed document and queue its hash for anchoring',
      description:
        "Pseudonymises the subject, builds the canonical document (RFC 8785), signs it as a compact JWS with the city's registered document key and stores it; its SHA-256 is anchored after the answer, from a durable outbox (nothing is lost if the gateway dies after answering). Send an Idempotency-Key to make retries safe.",
      tags: ['documents'],
      access: ['operator'],
      body: issueReportBody,
      idempotency: 'self',
      responses: {
        202: { description: 'issued; anchoring follows', schema: issuedResponse },
        422: { description: 'Idempotency-Key reused with another body' },
      },
      async handler({ body, principal, idempotencyKey, req }) {
        assertReadyToIssue(s);
        const idempotency = idempotencyKey
          ? { scope: `${principal?.city}|${principal?.subject}`, key: idempotencyKey, fingerprint: requestFingerprint(req.body) }
          : undefined;
        const issued = await s.documents.issue(body, principal?.subject ?? 'unknown', idempotency);
        if (!issued.replayed) {
          s.metrics.issued.inc({ mode: issued.anchor });
          s.log.info({ action: 'issue', docId: issued.id, anchor: issued.anchor, by: principal?.subject }, 'document issued');
        }
        const statusUrl = `/api/v1/reports/${issued.id}`;
        return {
          status: 202,
          headers: { Location: statusUrl, ...(issued.replayed ? { 'Idempotent-Replayed': 'true' } : {}) },
          body: { id: issued.id, jws: issued.jws, anchor: issued.anchor, statusUrl },
        };
      },
    }),
    issueBulkRoute(s),
    route({
      method: 'get',
      path: '/api/v1/reports/{id}',
      operationId: 'getReport',
      summary: 'State of an issued document, with its proof bundle once anchored',
      tags: ['documents'],
      access: ['operator', 'regulator', 'gateway'],
      params: idParams,
      responses: { 200: { description: 'the document and its state', schema: reportStateSchema }, 404: { description: 'not issued here' } },
      async handler({ params }) {
        return { status: 200, body: await s.documents.state(await s.documents.own(params.id)) };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/reports/{id}/revoke',
      operationId: 'revokeReport',
      summary: 'Revoke a document issued by this city',
      tags: ['documents'],
      access: ['operator'],
      params: idParams,
      body: z.strictObject({ reason: statusReasonField }),
      idempotency: 'cache',
      responses: {
        200: { description: 'the status record written', schema: statusChangeSchema },
        409: { description: 'already revoked or superseded' },
      },
      async handler({ params, body, principal }) {
        return { status: 200, body: await s.documents.revoke(params.id, body.reason, principal?.subject) };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/reports/{id}/supersede',
      operationId: 'supersedeReport',
      summary: 'Mark a document as superseded by another',
      tags: ['documents'],
      access: ['operator'],
      params: idParams,
      body: z.strictObject({ replacementId: supersedeDocumentInput.shape.replacementId, reason: statusReasonField }),
      idempotency: 'cache',
      responses: {
        200: { description: 'the status record written', schema: statusChangeSchema },
        409: { description: 'already revoked or superseded' },
      },
      async handler({ params, body, principal }) {
        return { status: 200, body: await s.documents.supersede(params.id, body.replacementId, body.reason, principal?.subject) };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/documents/{id}',
      operationId: 'getDocumentForPeer',
      summary: "A document of this city for another city's gateway: the JWS and its proof bundle",
      tags: ['gateway-to-gateway'],
      access: ['gateway', 'regulator', 'operator'],
      params: idParams,
      responses: {
        200: {
          description: 'the JWS and its proof bundle; past the retention period only the content hash and the proof (`bodyRemovedAt`)',
          schema: z.object({
            id: z.string(),
            contentHash: z.string(),
            jws: z.string().optional(),
            bodyRemovedAt: z.string().optional(),
            proof: proofBundleSchema.optional(),
            anchor: reportStateSchema.shape.anchor,
          }),
        },
        404: { description: 'not issued here' },
      },
      async handler({ params, principal }) {
        const doc = await s.documents.own(params.id);
        await s.accessLog.record({
          action: 'document-shared',
          subjectPseudonym: doc.subjectPseudonym,
          principal,
          document: { city: s.city, id: doc.id },
        });
        const state = await s.documents.state(doc);
        s.log.info({ action: 'share', docId: params.id, to: principal?.city, role: principal?.role }, 'document shared');
        return {
          status: 200,
          body: {
            id: state.id,
            contentHash: state.contentHash,
            ...(state.jws === undefined ? {} : { jws: state.jws }),
            ...(state.bodyRemovedAt ? { bodyRemovedAt: state.bodyRemovedAt } : {}),
            ...(state.proof ? { proof: state.proof } : {}),
            anchor: state.anchor,
          },
        };
      },
    }),
  ];
}
