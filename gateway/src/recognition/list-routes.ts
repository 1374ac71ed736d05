import { z } from 'zod';
import { cityById, type CityId, cityIdField, enumField, RECOGNITION_DECISIONS } from '@jcc/domain';
import type { Principal } from '../auth/roles.js';
import type { Located, RecognitionRecord } from '../fabric/records.js';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { bookmarkQuery, indexFacts, listAnswerOf, pageSizeQuery } from '../lists/common.js';
import { filterFingerprint, readPage } from '../lists/page.js';
import type { Services } from '../services.js';
import { servedRecognitionSchema, withReasons, type RecognitionTexts } from './texts.js';

/**
 * The sort-index scope of a recognition list: an operator sees the decisions
 * on its own city's documents (`issuerCity`, the default) and its own
 * city's decisions (`recognisingCity`); a regulator sees every decision.
 *
 * @throws HttpProblem 403 when an operator names neither its own city.
 */
export function recognitionScope(
  me: CityId,
  principal: Principal | undefined,
  issuerCity: CityId | undefined,
  recognisingCity: CityId | undefined,
): string {
  if (principal?.role !== 'regulator') {
    if (issuerCity === undefined && recognisingCity === undefined) return `i:${me}|`;
    if (issuerCity !== me && recognisingCity !== me)
      throw new HttpProblem(
        403,
        'forbidden',
        'Forbidden',
        `an operator of ${cityById(me).name} sees the decisions on its own documents (issuerCity=${me}) and its own decisions (recognisingCity=${me}) only`,
        { code: 'FORBIDDEN' },
      );
  }
  if (issuerCity === me || (issuerCity !== undefined && recognisingCity !== me)) return `i:${issuerCity}|`;
  if (recognisingCity !== undefined) return `r:${recognisingCity}|`;
  return 'all|';
}

/** The list route of recognition decisions (互认), served from the gateway's index of the ledger. */
export function recognitionListRoutes(s: Services, texts: RecognitionTexts): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/recognitions',
      operationId: 'listRecognitions',
      summary: 'Who recognised which documents: accepted or rejected, and why (newest decision first)',
      description:
        "`issuerCity=<mine>` (an operator's default) lists the other cities' decisions on this city's documents; `recognisingCity=<mine>` this city's own decisions. Each record is a document's latest decision by one city, with its earlier decisions in `history`. A regulator may list any city's. Sorted by the block of the decision, newest first. Served from the gateway's index of the ledger. Each record has `text` with its reasons, as in `GET /api/v1/recognitions/{issuerCity}/{documentId}` (read from the recognising city's gateway, or `{heldBy, detail}`).",
      tags: ['recognition', 'lists'],
      access: ['operator', 'regulator'],
      query: z.strictObject({
        issuerCity: cityIdField.optional().describe("the documents' issuing city"),
        recognisingCity: cityIdField.optional().describe('the city that decided'),
        decision: enumField(RECOGNITION_DECISIONS).optional(),
        pageSize: pageSizeQuery,
        bookmark: bookmarkQuery,
      }),
      responses: {
        200: {
          description: 'one page of recognition decisions',
          schema: listAnswerOf(servedRecognitionSchema.extend({ blockNumber: z.number().int(), recognisingCity: cityIdField })),
        },
      },
      async handler({ query, principal }) {
        const prefix = recognitionScope(s.city, principal, query.issuerCity, query.recognisingCity);
        const page = await readPage<Located<RecognitionRecord>>({
          order: s.index.tables.recognitionOrder,
          prefix,
          descending: true,
          fingerprint: filterFingerprint('recognitions', { ...query, prefix }),
          bookmark: query.bookmark,
          pageSize: query.pageSize,
          load: (keys) => s.index.tables.recognitions.getMany(keys),
          accept: (r) =>
            (!query.issuerCity || r.issuerCity === query.issuerCity) &&
            (!query.recognisingCity || r.city === query.recognisingCity) &&
            (!query.decision || r.decision === query.decision),
        });
        return {
          status: 200,
          body: {
            records: await Promise.all(page.records.map(async (r) => ({ ...(await withReasons(texts, r)), recognisingCity: r.city }))),
            bookmark: page.bookmark,
            pageSize: query.pageSize,
            ...indexFacts(s),
          },
        };
      },
    }),
  ];
}
