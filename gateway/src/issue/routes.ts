import { z } from 'zod';
import {
  documentStatusRecordSchema,
  recordIdField,
  supersedeDocumentInput,
  revokeDocumentInput,
  type DocumentStatusRecord,
} from '@jcc/domain';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { reportListRoutes } from '../reports/list-routes.js';
import type { Services } from '../services.js';
import { assertReadyToIssue } from './readiness.js';
import type { StoredDocument, StoredProof } from '../store/documents.js';
import { proofBundleSchema } from '../verify/proof-schema.js';
import { issueBulkRoute } from './bulk-route.js';
import { requestFingerprint } from './issuer.js';
import { issueReportBody } from './request-schema.js';

export { issueReportBody } from './request-schema.js';

const idParams = z.strictObject({ id: recordIdField });

const issuedResponse = z.object({ id: z.string(), jws: z.string(), anchor: z.enum(['single', 'batch']), statusUrl: z.string() });

/** A status record as revoke and supersede answer it: the ledger record and the block that holds it. */
const statusChangeSchema = documentStatusRecordSchema.extend({ blockNumber: z.number().int() });

const reportStateSchema = z.object({
  id: z.string(),
  type: z.string(),
  state: z.enum(['pending', 'anchored', 'revoked', 'superseded', 'expired', 'failed']),
  issuedAt: z.string(),
  validUntil: z.string(),
  kid: z.string(),
  contentHash: z.string(),
  /** Absent once the body was removed under the retention setting (`bodyRemovedAt`). */
  jws: z.string().optional(),
  bodyRemovedAt: z.string().optional(),
  anchor: z.object({
    mode: z.enum(['single', 'batch']),
    txId: z.string().optional(),
    blockNumber: z.number().nullable().optional(),
    batchId: z.string().optional(),
  }),
  proof: proofBundleSchema.optional(),
  status: z
    .object({ status: z.string(), reason: z.string(), at: z.string(), txId: z.string(), replacementId: z.string().optional() })
    .optional(),
  failure: z.object({ code: z.string(), detail: z.string(), at: z.string() }).optional(),
});

/** What `GET /api/v1/reports/{id}` answers for a stored document. */
export async function reportState(s: Services, doc: StoredDocument): Promise<z.output<typeof reportStateSchema>> {
  const proof: StoredProof | undefined = doc.anchorMode === 'batch' ? await s.tables.proofs.get(doc.id) : undefined;
  const ledgerStatus = await s.index.tables.statuses.get(`${doc.city}|${doc.id}`);
  const status =
    doc.lifecycle ??
    (ledgerStatus
      ? {
          status: ledgerStatus.status,
          reason: ledgerStatus.reason,
          at: ledgerStatus.at,
          txId: ledgerStatus.txId,
          replacementId: ledgerStatus.replacementId,
        }
      : undefined);
  const anchored = doc.anchor !== undefined || proof !== undefined;
  const state = status
    ? status.status
    : doc.failure
      ? 'failed'
      : Date.parse(doc.validUntil) <= s.clock()
        ? 'expired'
        : anchored
          ? 'anchored'
          : 'pending';
  const anchor = proof
    ? { mode: 'batch' as const, txId: proof.txId, blockNumber: proof.blockNumber, batchId: proof.batchId }
    : doc.anchor
      ? { mode: 'single' as const, txId: doc.anchor.txId, blockNumber: doc.anchor.blockNumber }
      : { mode: doc.anchorMode };
  const out: z.output<typeof reportStateSchema> = {
    id: doc.id,
    type: doc.type,
    state,
    issuedAt: doc.issuedAt,
    validUntil: doc.validUntil,
    kid: doc.kid,
    contentHash: doc.contentHash,
    ...(doc.jws === undefined ? {} : { jws: doc.jws }),
    ...(doc.bodyRemovedAt ? { bodyRemovedAt: doc.bodyRemovedAt } : {}),
    anchor,
  };
  if (proof) {
    out.proof = {
      leafHash: proof.leafHash,
      leafIndex: proof.leafIndex,
      treeSize: proof.treeSize,
      auditPath: proof.auditPath,
      root: proof.root,
      batchId: proof.batchId,
      txId: proof.txId,
      ...(proof.blockNumber === null ? {} : { blockNumber: proof.blockNumber }),
    };
  }
  if (status) out.status = status;
  if (doc.failure) out.failure = doc.failure;
  return out;
}

async function ownDocument(s: Services, id: string): Promise<StoredDocument> {
  const doc = await s.tables.documents.get(id);
  if (!doc) throw new HttpProblem(404, 'not-found', 'Not found', `this gateway issued no document ${id}`, { code: 'NOT_FOUND' });
  return doc;
}

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
        const issued = await s.issuer.issue(body, principal?.subject ?? 'unknown', idempotency);
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
        return { status: 200, body: await reportState(s, await ownDocument(s, params.id)) };
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
      body: z.strictObject({ reason: revokeDocumentInput.shape.reason.describe('why (free text, no personal identifiers)') }),
      idempotency: 'cache',
      responses: {
        200: { description: 'the status record written', schema: statusChangeSchema },
        409: { description: 'already revoked or superseded' },
      },
      async handler({ params, body, principal }) {
        return lifecycleChange(s, params.id, 'reports:RevokeDocument', { id: params.id, reason: body.reason }, principal?.subject);
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
      body: z.strictObject({ replacementId: supersedeDocumentInput.shape.replacementId, reason: supersedeDocumentInput.shape.reason }),
      idempotency: 'cache',
      responses: {
        200: { description: 'the status record written', schema: statusChangeSchema },
        409: { description: 'already revoked or superseded' },
      },
      async handler({ params, body, principal }) {
        return lifecycleChange(s, params.id, 'reports:SupersedeDocument', { id: params.id, ...body }, principal?.subject);
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
        const doc = await ownDocument(s, params.id);
        await s.accessLog.record({
          action: 'document-shared',
          subjectPseudonym: doc.subjectPseudonym,
          principal,
          document: { city: s.city, id: doc.id },
        });
        const state = await reportState(s, doc);
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

async function lifecycleChange(
  s: Services,
  id: string,
  transaction: 'reports:RevokeDocument' | 'reports:SupersedeDocument',
  input: { id: string; reason: string; replacementId?: string },
  by: string | undefined,
): Promise<{ status: number; body: unknown }> {
  const doc = await s.tables.documents.get(id);
  let batchId: string | undefined;
  if (doc?.anchorMode === 'batch') {
    // The ledger knows a batch-anchored document through its batch only.
    const proof = await s.tables.proofs.get(id);
    if (!proof)
      throw new HttpProblem(
        409,
        'not-anchored-yet',
        'Not anchored yet',
        `document ${id} waits for its batch to be anchored; retry in a few seconds`,
        { code: 'INVALID_STATE' },
        { 'Retry-After': '2' },
      );
    batchId = proof.batchId;
  }
  // A replacement anchored in a batch is known to the ledger through its batch only.
  const replacementBatchId = input.replacementId ? (await s.tables.proofs.get(input.replacementId))?.batchId : undefined;
  const committed = await s.ledger.submit<DocumentStatusRecord>(transaction, {
    ...input,
    ...(batchId ? { batchId } : {}),
    ...(replacementBatchId ? { replacementBatchId } : {}),
  });
  const record = committed.result;
  if (doc) {
    const lifecycle = {
      status: record.status,
      reason: record.reason,
      at: record.at,
      txId: record.txId,
      ...(record.replacementId ? { replacementId: record.replacementId } : {}),
    };
    await s.tables.documents.put(id, { ...doc, lifecycle });
  }
  // Read-your-writes: give the index a moment to apply the event, so an immediate verification here sees it.
  await s.index.waitForTransaction(committed.transactionId, 5000);
  s.log.info(
    { action: transaction === 'reports:RevokeDocument' ? 'revoke' : 'supersede', docId: id, txId: committed.transactionId, by },
    'document status changed',
  );
  return { status: 200, body: { ...record, blockNumber: Number(committed.blockNumber) } };
}
