import { z } from 'zod';
import {
  CITY_IDS,
  cityIdField,
  documentAnchorRecordSchema,
  evaluationRecordSchema,
  type CityId,
  type DocumentAnchorRecord,
  type EvaluationRecord,
  type ListEntryRecord,
  type Page,
} from '@jcc/domain';
import { ok } from '@jcc/client';
import type { TransactionName } from '../fabric/ledger.js';
import { peerCall } from '../peers/peer-gateways.js';
import { route, type AnyRoute } from '../http/route.js';
import { pseudonymOf, subjectSchema } from '../issue/subject.js';
import { entryStatus, listEntryWithStatusSchema, objectionsOfEntry, objectionViewSchema } from '../list-entries/list-routes.js';
import { chinaDate } from '../lists/common.js';
import { documentsOfSubject, reportSummarySchema, type ReportSummary } from '../reports/list-routes.js';
import type { Services } from '../services.js';
import { recordKey } from '../index/tables.js';

/** Most records of each kind one look-up returns. */
export const LOOKUP_LIMIT = 1000;

/** Reads every page of a subject query, up to `limit` records. */
async function allPages<T>(
  s: Services,
  transaction: TransactionName,
  subjectPseudonym: string,
  limit: number,
): Promise<{ records: T[]; truncated: boolean }> {
  const records: T[] = [];
  let bookmark = '';
  for (;;) {
    const page = await s.ledger.evaluate<Page<T>>(transaction, { subjectPseudonym, pageSize: 200, bookmark });
    records.push(...page.records);
    if (!page.bookmark || page.records.length === 0) return { records, truncated: false };
    if (records.length >= limit) return { records: records.slice(0, limit), truncated: true };
    bookmark = page.bookmark;
  }
}

/** A document of the look-up: the ledger's anchor record, or (batch-anchored) the issuing gateway's summary. */
type LookupDocument = (DocumentAnchorRecord & { anchorMode: 'single' }) | (ReportSummary & { anchorMode: 'single' | 'batch' });

/** {@link LookupDocument}. */
const lookupDocumentSchema = z.union([
  documentAnchorRecordSchema.extend({ anchorMode: z.literal('single') }),
  reportSummarySchema.extend({ anchorMode: z.enum(['single', 'batch']) }),
]) satisfies z.ZodType<LookupDocument>;

/** The answer of a subject look-up. */
const lookupSchema = z.object({
  pseudonym: z.string(),
  evaluations: z.array(evaluationRecordSchema),
  listEntries: z.array(listEntryWithStatusSchema.extend({ objections: z.array(objectionViewSchema) })),
  documents: z.array(lookupDocumentSchema).nullable().describe('null when the ledger could not be asked and no gateway answered'),
  documentsUnavailable: z.partialRecord(cityIdField, z.string()).describe('the gateways that did not answer, and why'),
  truncated: z.boolean().describe(`true when a kind had more than ${LOOKUP_LIMIT} records (the first ones are listed)`),
});

/** A subject's documents at one city's gateway (this one, or another city's through the gateway-to-gateway route). */
async function gatewayDocuments(s: Services, city: CityId, pseudonym: string): Promise<ReportSummary[]> {
  if (city === s.city) return documentsOfSubject(s, pseudonym);
  const client = await s.peers.client(city);
  const body = await peerCall(city, ok(client.GET('/api/v1/peer/subjects/{pseudonym}/documents', { params: { path: { pseudonym } } })));
  return body.documents.filter((d) => d.city === city);
}

/**
 * Every city's documents of a subject: the singly anchored ones from the
 * ledger, and the batch-anchored ones (the ledger holds only their batch's
 * root, not the subject) from each issuing city's gateway. A gateway that
 * does not answer is named in `unavailable`.
 */
async function subjectDocuments(
  s: Services,
  pseudonym: string,
  ledger: DocumentAnchorRecord[] | undefined,
): Promise<{ documents: LookupDocument[]; unavailable: Partial<Record<CityId, string>> }> {
  const documents: LookupDocument[] = (ledger ?? []).map((d) => ({ ...d, anchorMode: 'single' as const }));
  const seen = new Set(documents.map((d) => recordKey(d.city, d.id)));
  const unavailable: Partial<Record<CityId, string>> = {};
  const fromGateways = await Promise.all(
    CITY_IDS.map((city) =>
      gatewayDocuments(s, city, pseudonym).catch((err: unknown) => {
        unavailable[city] = (err as Error).message;
        return [];
      }),
    ),
  );
  for (const doc of fromGateways.flat()) {
    const key = recordKey(doc.city, doc.id);
    if (seen.has(key)) continue;
    seen.add(key);
    documents.push({ ...doc, anchorMode: doc.anchor.mode });
  }
  return { documents, unavailable };
}

/** Routes of subject look-ups across the five cities. */
export function subjectRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/subjects/lookup',
      operationId: 'lookupSubject',
      summary:
        "A subject's evaluations, list entries (with their objections) and documents (single- and batch-anchored) in all five cities",
      description:
        "The identifier travels in the body (never in a URL) and is pseudonymised here; only the pseudonym is sent to the ledger and to the other cities' gateways (which hold the batch-anchored documents: the ledger knows those only through their batch root). Each list entry carries its `status` and its `objections` (with answer, deadline and `overdue`), from this gateway's index of the ledger. `documentsUnavailable` names the gateways that did not answer.",
      tags: ['subjects'],
      access: ['operator', 'regulator'],
      body: z.strictObject({ subject: subjectSchema }),
      responses: {
        200: { description: "the subject's records in all five cities", schema: lookupSchema },
      },
      async handler({ body, principal }) {
        const pseudonym = pseudonymOf(s.secret, body.subject);
        await s.accessLog.record({ action: 'subject-lookup', subjectPseudonym: pseudonym, principal });
        const [evaluations, listEntries, documents] = await Promise.all([
          allPages<EvaluationRecord>(s, 'evaluations:QueryEvaluationsBySubject', pseudonym, LOOKUP_LIMIT),
          allPages<ListEntryRecord>(s, 'listEntries:QueryEntriesBySubject', pseudonym, LOOKUP_LIMIT),
          // Anchored documents are an addition to the look-up: their failure does not fail it.
          allPages<DocumentAnchorRecord>(s, 'reports:ListDocumentsBySubject', pseudonym, LOOKUP_LIMIT).catch((err: unknown) => {
            s.log.warn({ err: (err as Error).message }, 'subject look-up: documents unavailable');
            return undefined;
          }),
        ]);
        const today = chinaDate(s.clock());
        const [entries, docs] = await Promise.all([
          Promise.all(
            listEntries.records.map(async (e) => ({
              ...e,
              status: entryStatus(e, today),
              objections: await objectionsOfEntry(s, e.city, e.id),
            })),
          ),
          subjectDocuments(s, pseudonym, documents?.records),
        ]);
        s.log.info({ action: 'subject-lookup', by: principal?.subject, role: principal?.role }, 'subject looked up');
        return {
          status: 200,
          body: {
            pseudonym,
            evaluations: evaluations.records,
            listEntries: entries,
            documents: documents || docs.documents.length > 0 ? docs.documents : null,
            documentsUnavailable: docs.unavailable,
            truncated: evaluations.truncated || listEntries.truncated || (documents?.truncated ?? false),
          },
        };
      },
    }),
  ];
}
