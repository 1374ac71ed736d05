import { z } from 'zod';
import { cityIdField, recordIdField, type EvaluationRecord } from '@jcc/domain';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { LineTooLongError, splitLines } from '../lib/lines.js';
import type { Services } from '../services.js';
import { recordBulk } from './bulk.js';
import { evaluationBody, toLedgerEvaluation } from './evaluation.js';
import { evaluationListRoutes } from './list-routes.js';

/** Longest NDJSON line of a bulk upload (characters). */
export const MAX_BULK_LINE = 64 * 1024;

const bulkResultSchema = z.object({
  lines: z.number(),
  recorded: z.number(),
  written: z.number(),
  unchanged: z.number(),
  invalid: z.number(),
  failed: z.number(),
  duplicates: z.number(),
  transactions: z.number(),
  errors: z.array(z.object({ line: z.number(), detail: z.string(), code: z.string().optional() })),
  complete: z.boolean(),
  seconds: z.number(),
});

/** Routes of credit evaluations (信用评价). */
export function evaluationRoutes(s: Services): AnyRoute[] {
  return [
    ...evaluationListRoutes(s),
    route({
      method: 'post',
      path: '/api/v1/evaluations',
      operationId: 'recordEvaluation',
      summary: 'Record an evaluation result on the ledger',
      tags: ['evaluations'],
      access: ['operator'],
      body: evaluationBody,
      idempotency: 'cache',
      responses: { 201: { description: 'the evaluation record (also when it was already recorded)' } },
      async handler({ body, principal }) {
        const input = toLedgerEvaluation(s.city, s.secret, body);
        const committed = await s.ledger.submit<EvaluationRecord>('evaluations:RecordEvaluation', input);
        s.log.info({ action: 'evaluation', id: input.id, txId: committed.transactionId, by: principal?.subject }, 'evaluation recorded');
        return { status: 201, body: committed.result };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/evaluations/bulk',
      operationId: 'recordEvaluationsBulk',
      summary: 'Record many evaluations from NDJSON (one evaluation per line)',
      description:
        'Lines are chunked into evaluations:RecordEvaluations transactions (up to 500 records each) with several in flight. Invalid lines are reported by number and skipped; a refused transaction is split to isolate the offending lines. Records are idempotent (ids default to a hash of the content), so re-sending an upload is safe.',
      tags: ['evaluations'],
      access: ['operator'],
      bodyMediaType: 'application/x-ndjson',
      streamItem: evaluationBody,
      responses: { 200: { description: 'what was recorded', schema: bulkResultSchema } },
      async handler({ req, principal }) {
        if (!req.is(['application/x-ndjson', 'application/jsonl', 'application/json-seq', 'text/plain'])) {
          throw new HttpProblem(
            415,
            'unsupported-media-type',
            'Unsupported media type',
            'send the evaluations as application/x-ndjson, one JSON object per line',
          );
        }
        let result;
        try {
          result = await recordBulk(splitLines(req, MAX_BULK_LINE), {
            city: s.city,
            secret: s.secret,
            ledger: s.ledger,
            chunkSize: s.config.bulk.chunkSize,
            inFlight: s.config.bulk.inFlight,
            log: s.log,
            onRecords: (outcome, count) => s.metrics.bulkRecords.inc({ outcome }, count),
          });
        } catch (err) {
          if (err instanceof LineTooLongError) throw new HttpProblem(413, 'line-too-long', 'Line too long', err.message);
          throw err;
        }
        s.log.info(
          {
            action: 'evaluations-bulk',
            lines: result.lines,
            recorded: result.recorded,
            invalid: result.invalid,
            failed: result.failed,
            seconds: result.seconds,
            by: principal?.subject,
          },
          'bulk evaluations',
        );
        return { status: 200, body: result };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/evaluations/{city}/{id}',
      operationId: 'getEvaluation',
      summary: 'An evaluation record of any city',
      tags: ['evaluations'],
      access: ['operator', 'regulator'],
      params: z.strictObject({ city: cityIdField, id: recordIdField }),
      responses: { 200: { description: 'the evaluation record' }, 404: { description: 'unknown' } },
      async handler({ params }) {
        return { status: 200, body: await s.ledger.evaluate<EvaluationRecord>('evaluations:GetEvaluation', params) };
      },
    }),
  ];
}
