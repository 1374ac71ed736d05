import { z } from 'zod';
import {
  chunkProof,
  chunkProofSchema,
  chunkedEvaluationSchema,
  cityIdField,
  evaluationRecordSchema,
  evaluationRecordHash,
  LEAF_SCHEME,
  recordIdField,
  type EvaluationRecord,
} from '@jcc/domain';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { chunkRowsOf, chunkedEvaluationsOf, evaluationsOfSubject } from '../index/evaluation-chunks.js';
import { recordKey } from '../index/tables.js';
import { pseudonymOf, subjectSchema } from '../issue/subject.js';
import { indexFacts, listAnswerSchema } from '../lists/common.js';
import type { Services } from '../services.js';
import { LOOKUP_LIMIT } from '../subjects/routes.js';
import { evaluationBody, evaluationImportLine, toLedgerEvaluation } from './evaluation.js';
import { JobNotFoundError } from './import.js';
import type { JobView } from '../jobs/job.js';
import { evaluationListRoutes } from './list-routes.js';

/** Media types of an NDJSON import. */
const NDJSON_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json-seq', 'text/plain'];

const jobSchema = z.object({
  id: z.string(),
  kind: z.literal('evaluations-import'),
  city: cityIdField,
  format: z.enum(['ndjson', 'csv']),
  status: z.enum(['receiving', 'running', 'done', 'failed']),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  by: z.string().optional().describe('who uploaded (token subject)'),
  detail: z.string().optional().describe('why the job failed'),
  bytes: z.number(),
  uploadComplete: z.boolean(),
  linesRead: z.number(),
  rejected: z.number(),
  errors: z.array(z.object({ line: z.number(), detail: z.string(), code: z.string().optional() })),
  duplicates: z.number(),
  alreadyRecorded: z.number(),
  committed: z.number(),
  chunks: z.number(),
  resumed: z.number().describe('times the job was resumed after a restart'),
  ratePerSecond: z.number(),
  etaSeconds: z.number().nullable(),
}) satisfies z.ZodType<JobView>;

/** A chunked evaluation as the index keeps it: the record and where it is anchored. */
const indexedChunkedSchema = chunkedEvaluationSchema.extend({
  chunkId: z.string(),
  leafIndex: z.number().int(),
  txId: z.string(),
  blockNumber: z.number().int(),
  recordedAt: z.string(),
});

/** A subject's chunked evaluation with its place in the history. */
const subjectEvaluationSchema = indexedChunkedSchema.extend({
  state: z.enum(['current', 'superseded', 'withdrawal']),
  supersededBy: z.string().optional(),
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
      responses: { 201: { description: 'the evaluation record (also when it was already recorded)', schema: evaluationRecordSchema } },
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
      operationId: 'importEvaluations',
      summary: 'Import evaluations as a job (NDJSON or CSV, one evaluation per line)',
      description:
        "The upload is kept by the gateway as it arrives and recorded from there as a job: `202` names the job (`Location: /api/v1/jobs/{id}`) once the whole upload is received, while recording goes on. Send NDJSON (`application/x-ndjson`, one JSON object per line) or CSV (`text/csv`, a header naming the columns: `id`, `subject.kind`, `subject.uscc`, `subject.idNumber`, `scheme`, `grade`, `periodStart`, `periodEnd`, `validUntil`, `evidence`, `evidenceHash`, `supersedes`, `withdrawn`). Each line is validated on its own; the lines refused are listed by number in the job. Records go to the ledger in chunks (`evaluations:RecordEvaluationChunk`), each one state key under this city's key-level endorsement policy, named by the Merkle root of its records. A job survives a restart of the gateway and resumes; re-sending the same file records nothing twice (ids default to a hash of the content; a line whose record is on the ledger already counts as `alreadyRecorded`). A correction or withdrawal is a new line with `supersedes` (and `withdrawn: true`).",
      tags: ['evaluations', 'jobs'],
      access: ['operator'],
      bodyMediaType: 'application/x-ndjson',
      streamItem: evaluationImportLine,
      responses: { 202: { description: 'the job (see GET /api/v1/jobs/{id})', schema: jobSchema } },
      async handler({ req, principal }) {
        const format = req.is(['text/csv']) ? 'csv' : req.is(NDJSON_TYPES) ? 'ndjson' : undefined;
        if (!format)
          throw new HttpProblem(
            415,
            'unsupported-media-type',
            'Unsupported media type',
            'send the evaluations as application/x-ndjson (one JSON object per line) or text/csv (with a header line)',
          );
        const job = await s.imports.create(format, req, principal?.subject);
        s.log.info({ action: 'evaluations-import', job: job.id, bytes: job.bytes, by: principal?.subject }, 'evaluation import received');
        return { status: 202, body: job, headers: { location: `/api/v1/jobs/${job.id}` } };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/jobs/{id}',
      operationId: 'getJob',
      summary: "A job's progress",
      description:
        'Lines read, rejected (with line numbers and reasons, the first 1,000), duplicates, already recorded, committed, chunks, the current rate (records committed per second over the last 10 s) and the ETA in seconds (null while unknown).',
      tags: ['jobs'],
      access: ['operator'],
      params: z.strictObject({ id: z.string().regex(/^job-[0-9a-f-]{36}$/, 'must be a job id') }),
      responses: { 200: { description: 'the job', schema: jobSchema }, 404: { description: 'unknown job' } },
      async handler({ params }) {
        try {
          return { status: 200, body: await s.imports.get(params.id) };
        } catch (err) {
          if (err instanceof JobNotFoundError) throw new HttpProblem(404, 'not-found', 'Not found', err.message);
          throw err;
        }
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/evaluations/lookup',
      operationId: 'lookupEvaluations',
      summary: "A subject's chunked evaluations in all five cities, current and history",
      description:
        "Served from this gateway's index of the ledger's evaluation chunks (no other city's server is asked). The identifier travels in the body and is pseudonymised here. Each record has `state`: `current`, `superseded` (with `supersededBy`) or `withdrawal`; nothing is left out, so the history shows. `indexedThrough` is the block the index reflects.",
      tags: ['evaluations', 'subjects'],
      access: ['operator', 'regulator'],
      body: z.strictObject({ subject: subjectSchema }),
      responses: {
        200: {
          description: "the subject's chunked evaluations in all five cities",
          schema: listAnswerSchema
            .pick({ indexedThrough: true, caughtUp: true })
            .extend({ pseudonym: z.string(), evaluations: z.array(subjectEvaluationSchema), truncated: z.boolean() }),
        },
      },
      async handler({ body }) {
        const pseudonym = pseudonymOf(s.secret, body.subject);
        const { records, truncated } = await evaluationsOfSubject(s.index.tables, pseudonym, LOOKUP_LIMIT);
        return { status: 200, body: { pseudonym, evaluations: records, truncated, ...indexFacts(s) } };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/evaluations/{city}/{id}',
      operationId: 'getEvaluation',
      summary: 'An evaluation record of any city, with what anchors it',
      description:
        'A chunked evaluation comes with its `anchor`: the transaction and block that committed its chunk, and the chunk Merkle proof (RFC 9162, SHA-256: `leafHash` = H(0x00 || recordHash), `recordHash` = SHA-256 of the canonical JSON of `record`, `root` = the chunk id stored on the ledger under `evaluationChunk [city, chunkId]`). An evaluation recorded singly (`evaluations:RecordEvaluation`) is its own state key and has no proof.',
      tags: ['evaluations'],
      access: ['operator', 'regulator'],
      params: z.strictObject({ city: cityIdField, id: recordIdField }),
      responses: {
        200: {
          description: 'the evaluation record; a chunked one with its record, record hash and anchor',
          schema: z.union([
            evaluationRecordSchema,
            indexedChunkedSchema.extend({
              record: chunkedEvaluationSchema,
              recordHash: z.string(),
              anchor: z.object({
                txId: z.string(),
                blockNumber: z.number().int(),
                recordedAt: z.string(),
                chunkId: z.string(),
                leafScheme: z.string(),
                proof: chunkProofSchema,
              }),
            }),
          ]),
        },
        404: { description: 'unknown' },
      },
      async handler({ params }) {
        const [chunked] = await chunkedEvaluationsOf(s.index.tables, [recordKey(params.city, params.id)]);
        if (!chunked) return { status: 200, body: await s.ledger.evaluate<EvaluationRecord>('evaluations:GetEvaluation', params) };
        // The proof from the chunk's rows as the index took them from the ledger (its Merkle root is the chunk's id).
        const rows = await chunkRowsOf(s.index.tables, chunked.city, chunked.chunkId);
        const { chunkId, leafIndex, txId, blockNumber, recordedAt, ...record } = chunked;
        if (!rows) throw new Error(`the index holds no rows of evaluation chunk ${chunked.city}/${chunkId}`);
        const chunk = {
          scheme: chunked.scheme,
          periodStart: chunked.periodStart,
          periodEnd: chunked.periodEnd,
          validUntil: chunked.validUntil,
          rows,
        };
        const proof = chunkProof(chunked.city, chunk, leafIndex);
        return {
          status: 200,
          body: {
            ...chunked,
            record,
            recordHash: evaluationRecordHash(record),
            anchor: { txId, blockNumber, recordedAt, chunkId, leafScheme: LEAF_SCHEME, proof },
          },
        };
      },
    }),
  ];
}
