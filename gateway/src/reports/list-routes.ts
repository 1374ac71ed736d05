import { z } from 'zod';
import { DOCUMENT_TYPES, cityIdField, enumField, pseudonymField } from '@jcc/domain';
import { route, type AnyRoute } from '../http/route.js';
import { documentAnchorViewSchema, documentStatusViewSchema, REPORT_STATES } from '../issue/document-service.js';
import { bookmarkQuery, dateBoundQuery, dateRange, listAnswerOf, pageSizeQuery, subjectQuery } from '../lists/common.js';
import { filterFingerprint, readPage } from '../lists/page.js';
import type { Services } from '../services.js';
import type { StoredDocument } from '../store/documents.js';
import { ensureReportOrder, reportOrderTable } from './report-order.js';

/** A document of a list: its state and anchoring, without the JWS and proof (see `GET /api/v1/reports/{id}`). */
export const reportSummarySchema = z.object({
  id: z.string(),
  city: cityIdField,
  type: z.string(),
  state: z.enum(REPORT_STATES),
  subjectPseudonym: z.string(),
  issuedAt: z.string(),
  validUntil: z.string(),
  contentHash: z.string(),
  anchor: documentAnchorViewSchema,
  status: documentStatusViewSchema.omit({ txId: true }).optional(),
});

/** {@link reportSummarySchema}. */
export type ReportSummary = z.output<typeof reportSummarySchema>;

/** The summary of a stored document. */
export async function reportSummary(s: Services, doc: StoredDocument): Promise<ReportSummary> {
  const state = await s.documents.state(doc);
  return {
    id: doc.id,
    city: doc.city,
    type: doc.type,
    state: state.state,
    subjectPseudonym: doc.subjectPseudonym,
    issuedAt: doc.issuedAt,
    validUntil: doc.validUntil,
    contentHash: doc.contentHash,
    anchor: state.anchor,
    ...(state.status
      ? {
          status: {
            status: state.status.status,
            ...(state.status.reason === undefined ? {} : { reason: state.status.reason }),
            reasonHash: state.status.reasonHash,
            at: state.status.at,
            ...(state.status.replacementId ? { replacementId: state.status.replacementId } : {}),
          },
        }
      : {}),
  };
}

/** The documents this gateway issued for a subject (single- and batch-anchored), oldest id first. */
export async function documentsOfSubject(s: Services, pseudonym: string): Promise<ReportSummary[]> {
  await ensureReportOrder(s.store, s.tables.documents);
  const ids: string[] = [];
  for await (const [, id] of reportOrderTable(s.store).entries({ gte: `s:${pseudonym}|`, lt: `s:${pseudonym}|\uffff` })) ids.push(id);
  const docs = await s.tables.documents.getMany(ids);
  return Promise.all(docs.filter((d): d is StoredDocument => d !== undefined).map((d) => reportSummary(s, d)));
}

/** The list routes of the documents this city issued. */
export function reportListRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/reports',
      operationId: 'listReports',
      summary: 'Documents this city issued, newest first, by state, type, date and subject',
      description:
        "The documents this gateway signed and stores (single- and batch-anchored), sorted by `issuedAt` newest first, then id. `from`/`to` bound `issuedAt` (inclusive; a date or an instant). `state` is the one `GET /api/v1/reports/{id}` reports. A city's operator sees its own city's documents; a regulator may list them too.",
      tags: ['documents', 'lists'],
      access: ['operator', 'regulator'],
      query: z.strictObject({
        state: enumField(REPORT_STATES).optional(),
        type: enumField(DOCUMENT_TYPES).optional().describe('document type'),
        subject: subjectQuery,
        from: dateBoundQuery,
        to: dateBoundQuery,
        pageSize: pageSizeQuery,
        bookmark: bookmarkQuery,
      }),
      responses: {
        200: {
          description: 'one page of documents',
          schema: listAnswerOf(reportSummarySchema).omit({ indexedThrough: true, caughtUp: true }),
        },
      },
      async handler({ query }) {
        await ensureReportOrder(s.store, s.tables.documents);
        const page = await readPage<ReportSummary>({
          order: reportOrderTable(s.store),
          prefix: 't|',
          ...dateRange(query.from, query.to),
          descending: true,
          fingerprint: filterFingerprint('reports', query),
          bookmark: query.bookmark,
          pageSize: query.pageSize,
          load: async (ids) => {
            const docs = await s.tables.documents.getMany(ids);
            return Promise.all(docs.map((d) => (d ? reportSummary(s, d) : undefined)));
          },
          accept: (r) =>
            (!query.state || r.state === query.state) &&
            (!query.type || r.type === query.type) &&
            (!query.subject || r.subjectPseudonym === query.subject),
        });
        return { status: 200, body: { ...page, pageSize: query.pageSize } };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/peer/subjects/{pseudonym}/documents',
      operationId: 'subjectDocumentsForPeer',
      summary: "This city's documents of a subject, for another city's subject look-up (batch-anchored ones included)",
      description:
        'The ledger knows a batch-anchored document only through its batch root, so a look-up in another city asks the issuing gateway. The pseudonym is the keyed pseudonym the gateways share, never an identifier. The access is logged.',
      tags: ['gateway-to-gateway'],
      access: ['gateway'],
      params: z.strictObject({ pseudonym: pseudonymField }),
      responses: {
        200: {
          description: "this city's documents of the subject",
          schema: z.object({ city: cityIdField, documents: z.array(reportSummarySchema) }),
        },
      },
      async handler({ params, principal }) {
        await s.accessLog.record({ action: 'subject-documents-shared', subjectPseudonym: params.pseudonym, principal });
        const documents = await documentsOfSubject(s, params.pseudonym);
        s.log.info({ action: 'subject-documents', to: principal?.city, documents: documents.length }, 'subject documents shared');
        return { status: 200, body: { city: s.city, documents } };
      },
    }),
  ];
}
