import { z } from 'zod';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { LineTooLongError, splitLineChunks } from '../lib/lines.js';
import type { Services } from '../services.js';
import { assertReadyToIssue } from './readiness.js';
import { issueBulk } from './bulk.js';
import { issueReportBody } from './request-schema.js';

/** Longest NDJSON line of a bulk issue (characters); a line is one `POST /api/v1/reports` body. */
export const MAX_BULK_ISSUE_LINE = 64 * 1024;

const problemSchema = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string().optional() }).loose();

/** One line of the answer to `POST /api/v1/reports/bulk`. */
const bulkAnswerLine = z
  .union([
    z.object({
      line: z.number(),
      id: z.string(),
      jws: z.string(),
      anchor: z.enum(['single', 'batch']),
      statusUrl: z.string(),
      replayed: z.literal(true).optional(),
    }),
    z.object({ line: z.number(), problem: problemSchema }),
    z.object({
      summary: z.object({ lines: z.number(), issued: z.number(), replayed: z.number(), refused: z.number(), complete: z.boolean() }),
    }),
  ])
  .describe('one JSON object per line: a document issued, a line refused, and last the summary');

/** Writes to a response, waiting for it to drain when its buffer is full (back-pressure towards the upload). */
function writer(res: import('express').Response): (text: string) => Promise<void> {
  return (text) =>
    new Promise<void>((resolve, reject) => {
      if (res.destroyed) return reject(new Error('the client went away'));
      if (res.write(text)) return resolve();
      const done = (err?: Error): void => {
        res.off('drain', ok);
        res.off('close', gone);
        if (err) reject(err);
        else resolve();
      };
      const ok = (): void => done();
      const gone = (): void => done(new Error('the client went away'));
      res.once('drain', ok);
      res.once('close', gone);
    });
}

/** `POST /api/v1/reports/bulk`: many documents from one NDJSON upload, through the issuer's one path. */
export function issueBulkRoute(s: Services): AnyRoute {
  return route({
    method: 'post',
    path: '/api/v1/reports/bulk',
    operationId: 'issueReportsBulk',
    summary: 'Issue many documents from NDJSON (one POST /api/v1/reports body per line), answered line by line as NDJSON',
    description:
      'Each line is validated like the body of POST /api/v1/reports and issued the same way (same document, signature, store and anchoring outbox), many lines at a time. The answer streams one NDJSON line per input line, in order: `{line, id, jws, anchor, statusUrl}` once the document is stored and queued for anchoring, or `{line, problem}` (RFC 9457) for a refused line; the last line is `{summary}`. A line is answered only after its document is stored, so nothing answered is lost if the gateway dies. With an Idempotency-Key, line n is issued under the key `<key>#<n>`: re-sending the upload after a failure answers the lines issued before with the same documents (`replayed: true`) and issues the rest.',
    tags: ['documents'],
    access: ['operator'],
    bodyMediaType: 'application/x-ndjson',
    streamItem: issueReportBody,
    idempotency: 'self',
    responses: {
      200: { description: 'one answer line per input line, then the summary', schema: bulkAnswerLine, mediaType: 'application/x-ndjson' },
      415: { description: 'not NDJSON' },
    },
    async handler({ req, res, principal, idempotencyKey }) {
      if (!req.is(['application/x-ndjson', 'application/jsonl', 'text/plain'])) {
        throw new HttpProblem(
          415,
          'unsupported-media-type',
          'Unsupported media type',
          'send the documents as application/x-ndjson, one POST /api/v1/reports body per line',
        );
      }
      assertReadyToIssue(s);
      res.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      res.flushHeaders();
      const write = writer(res);
      const started = performance.now();
      try {
        const summary = await issueBulk(splitLineChunks(req, MAX_BULK_ISSUE_LINE), {
          issuer: s.issuer,
          schema: issueReportBody,
          issuedBy: principal?.subject ?? 'unknown',
          ...(idempotencyKey ? { idempotency: { scope: `${principal?.city}|${principal?.subject}`, key: idempotencyKey } } : {}),
          write,
          onIssued: (issued) => {
            let batch = 0;
            for (const d of issued) if (d.anchor === 'batch') batch++;
            if (batch) s.metrics.issued.inc({ mode: 'batch' }, batch);
            if (issued.length > batch) s.metrics.issued.inc({ mode: 'single' }, issued.length - batch);
          },
        });
        s.log.info(
          { action: 'issue-bulk', ...summary, seconds: Math.round(performance.now() - started) / 1000, by: principal?.subject },
          'bulk issue',
        );
      } catch (err) {
        // The answer has begun: the failure is its last line.
        const line =
          err instanceof LineTooLongError
            ? new HttpProblem(413, 'line-too-long', 'Line too long', err.message).problem
            : new HttpProblem(500, 'bulk-interrupted', 'Bulk issue interrupted', 'the upload stopped before every line was read').problem;
        s.log.warn({ action: 'issue-bulk', err: (err as Error).message, by: principal?.subject }, 'bulk issue interrupted');
        if (!res.destroyed) res.write(JSON.stringify({ problem: line }) + '\n');
      }
      res.end();
      return undefined;
    },
  });
}
