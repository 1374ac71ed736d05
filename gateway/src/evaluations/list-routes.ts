import { z } from 'zod';
import { cityIdField, type EvaluationRecord, evaluationRecordSchema } from '@jcc/domain';
import { route, type AnyRoute } from '../http/route.js';
import { isChunkGroupKey, recordsOfChunks } from '../index/evaluation-chunks.js';
import type { IndexedEvaluation } from '../index/list-tables.js';
import type { Located } from '../fabric/records.js';
import {
  bookmarkQuery,
  dateBoundQuery,
  indexFacts,
  listAnswerOf,
  pageSizeQuery,
  scopeCity,
  subjectQuery,
  withinDates,
} from '../lists/common.js';
import { filterFingerprint, readPage } from '../lists/page.js';
import type { Services } from '../services.js';
import { recordKey } from '../index/tables.js';

const shortText = z
  .string()
  .min(1)
  .max(100)
  .refine((v) => ![...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), 'must not contain control characters');

/**
 * Completes index stubs of bulk-recorded evaluations (their event carries
 * only ids) from the ledger, and keeps the completed record in the index;
 * a chunk of evaluations (a group entry of the list order) reads as its
 * records, from the index's columns of the chunk.
 */
async function loadEvaluations(
  s: Services,
  keys: string[],
): Promise<Array<Located<EvaluationRecord> | Array<Located<EvaluationRecord>> | undefined>> {
  const groups = keys.filter(isChunkGroupKey);
  const chunks = groups.length > 0 ? await recordsOfChunks(s.index.tables, groups) : [];
  const singles = keys.filter((k) => !isChunkGroupKey(k));
  const found = await s.index.tables.evaluations.getMany(singles);
  let nextGroup = 0;
  let nextSingle = 0;
  return Promise.all(
    keys.map(async (key) => {
      if (isChunkGroupKey(key)) return chunks[nextGroup++];
      const record: IndexedEvaluation | undefined = found[nextSingle++];
      if (!record) return undefined;
      if (!record.stub) return record;
      const full = await s.ledger.evaluate<EvaluationRecord>('evaluations:GetEvaluation', { city: record.city, id: record.id });
      const completed: Located<EvaluationRecord> = { ...full, blockNumber: record.blockNumber };
      await s.index.tables.evaluations.put(recordKey(record.city, record.id), completed);
      return completed;
    }),
  );
}

/** The list route of evaluations (信用评价), served from the gateway's index of the ledger. */
export function evaluationListRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/evaluations',
      operationId: 'listEvaluations',
      summary: 'Evaluation results, newest first, by grade, scheme, date and subject',
      description:
        "An operator sees its own city's evaluations; a regulator every city's (all five, or `city`). Sorted by the block that recorded them, newest first, then city and id (the records of one chunk in reverse upload order). `from`/`to` bound `recordedAt` (inclusive). Served from the gateway's index of the ledger; `indexedThrough` is the block it reflects.",
      tags: ['evaluations', 'lists'],
      access: ['operator', 'regulator'],
      query: z.strictObject({
        grade: shortText.optional().describe('e.g. A, B, C, D'),
        scheme: shortText.optional(),
        city: cityIdField.optional().describe('recording city (regulators; an operator may name only its own)'),
        subject: subjectQuery,
        from: dateBoundQuery,
        to: dateBoundQuery,
        pageSize: pageSizeQuery,
        bookmark: bookmarkQuery,
      }),
      responses: {
        200: {
          description: 'one page of evaluations',
          schema: listAnswerOf(
            evaluationRecordSchema.extend({
              blockNumber: z.number().int(),
              chunkId: z.string().optional(),
              leafIndex: z.number().int().optional(),
              supersedes: z.string().optional(),
              withdrawn: z.literal(true).optional(),
            }),
          ),
        },
      },
      async handler({ query, principal }) {
        const city = scopeCity(s, principal, query.city);
        const page = await readPage<Located<EvaluationRecord>>({
          order: s.index.tables.evaluationOrder,
          prefix: city ? `c:${city}|` : 'all|',
          descending: true,
          fingerprint: filterFingerprint('evaluations', { ...query, city }),
          bookmark: query.bookmark,
          pageSize: query.pageSize,
          load: (keys) => loadEvaluations(s, keys),
          isGroup: isChunkGroupKey,
          accept: (e) =>
            (!query.grade || e.grade === query.grade) &&
            (!query.scheme || e.scheme === query.scheme) &&
            (!query.subject || e.subjectPseudonym === query.subject) &&
            withinDates(e.recordedAt, query.from, query.to),
        });
        return { status: 200, body: { ...page, pageSize: query.pageSize, ...indexFacts(s) } };
      },
    }),
  ];
}
