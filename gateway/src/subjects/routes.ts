import { z } from 'zod';
import { type DocumentAnchorRecord, type EvaluationRecord, type ListEntryRecord, type Page } from '@jcc/domain';
import type { TransactionName } from '../fabric/ledger.js';
import { route, type AnyRoute } from '../http/route.js';
import { pseudonymOf, subjectSchema } from '../issue/subject.js';
import type { Services } from '../services.js';

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

/** Routes of subject look-ups across the five cities. */
export function subjectRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'post',
      path: '/api/v1/subjects/lookup',
      operationId: 'lookupSubject',
      summary: "A subject's evaluations, list entries and anchored documents in all five cities",
      description:
        'The identifier travels in the body (never in a URL) and is pseudonymised here; only the pseudonym is sent to the ledger.',
      tags: ['subjects'],
      access: ['operator', 'regulator'],
      body: z.strictObject({ subject: subjectSchema }),
      responses: { 200: { description: '{pseudonym, evaluations, listEntries, documents (null when unavailable), truncated}' } },
      async handler({ body, principal }) {
        const pseudonym = pseudonymOf(s.secret, body.subject);
        const [evaluations, listEntries, documents] = await Promise.all([
          allPages<EvaluationRecord>(s, 'evaluations:QueryEvaluationsBySubject', pseudonym, LOOKUP_LIMIT),
          allPages<ListEntryRecord>(s, 'listEntries:QueryEntriesBySubject', pseudonym, LOOKUP_LIMIT),
          // Anchored documents are an addition to the look-up: their failure does not fail it.
          allPages<DocumentAnchorRecord>(s, 'reports:ListDocumentsBySubject', pseudonym, LOOKUP_LIMIT).catch((err: unknown) => {
            s.log.warn({ err: (err as Error).message }, 'subject look-up: documents unavailable');
            return undefined;
          }),
        ]);
        s.log.info({ action: 'subject-lookup', by: principal?.subject, role: principal?.role }, 'subject looked up');
        return {
          status: 200,
          body: {
            pseudonym,
            evaluations: evaluations.records,
            listEntries: listEntries.records,
            documents: documents?.records ?? null,
            truncated: evaluations.truncated || listEntries.truncated || (documents?.truncated ?? false),
          },
        };
      },
    }),
  ];
}
