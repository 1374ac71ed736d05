import { z } from 'zod';
import { accessReportSchema, cityIdField, pseudonymField, reportEntrySchema, treeHeadRecordSchema, treeHeadSchema } from '@jcc/domain';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import { pseudonymOf, subjectSchema } from '../issue/subject.js';
import type { Services } from '../services.js';
import type { AuditResult } from './log.js';
import { accessReport, cityAccessAnswerSchema, ownAccessAnswer } from './report.js';

const sizeQuery = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Routes of the access log (访问日志): heads, proofs, the subject access report. See docs/access-log.md. */
export function accessLogRoutes(s: Services): AnyRoute[] {
  const outOfRange = (detail: string) => new HttpProblem(400, 'invalid-request', 'Invalid request', detail, { code: 'INVALID_ARGUMENT' });
  return [
    route({
      method: 'get',
      path: '/api/v1/access-log/head',
      operationId: 'accessLogHead',
      summary: "This city's access log: its size, a freshly signed tree head, and the latest head anchored on the ledger",
      tags: ['access-log'],
      access: ['operator', 'regulator', 'gateway'],
      responses: {
        200: {
          description: 'the log now, with a freshly signed head, and the latest head on the ledger',
          schema: z.object({
            city: cityIdField,
            size: z.number().int(),
            head: treeHeadSchema,
            signedTreeHead: z.string().describe('the compact JWS of `head`'),
            anchored: treeHeadRecordSchema.nullable(),
          }),
        },
      },
      async handler() {
        const [signed, anchored] = await Promise.all([s.accessLog.signHead(), s.accessLog.anchoredHead()]);
        return { status: 200, body: { city: s.city, size: s.accessLog.size, head: signed.head, signedTreeHead: signed.jws, anchored } };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/access-log/anchor',
      operationId: 'anchorAccessLog',
      summary: 'Anchor a signed tree head of the access log now (also done periodically)',
      description: 'A no-op answering the latest anchored head when nothing was appended since.',
      tags: ['access-log'],
      access: ['operator'],
      responses: {
        200: {
          description: 'the anchored head record (null for an empty log)',
          schema: z.object({ anchored: treeHeadRecordSchema.nullable() }),
        },
      },
      async handler() {
        return { status: 200, body: { anchored: await s.accessLog.anchor() } };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/access-log/entries/{index}',
      operationId: 'accessLogEntry',
      summary: 'One entry of the access log with its RFC 9162 inclusion proof',
      description: 'Proven in the tree of `treeSize` entries (default: the latest anchored head).',
      tags: ['access-log'],
      access: ['operator', 'regulator'],
      params: z.strictObject({ index: sizeQuery }),
      query: z.strictObject({ treeSize: sizeQuery.optional() }),
      responses: {
        200: { description: 'the entry and its inclusion proof', schema: reportEntrySchema },
        404: { description: 'no such entry in that tree' },
      },
      async handler({ params, query }) {
        const treeSize = query.treeSize ?? (await s.accessLog.anchoredHead())?.treeSize ?? s.accessLog.size;
        if (treeSize > s.accessLog.size) throw outOfRange(`treeSize: the log has ${s.accessLog.size} entries`);
        if (params.index >= treeSize)
          throw new HttpProblem(404, 'not-found', 'Not found', `no entry ${params.index} in the tree of ${treeSize}`, {
            code: 'NOT_FOUND',
          });
        const [proven] = await s.accessLog.prove([params.index], treeSize);
        if (!proven) throw new HttpProblem(404, 'not-found', 'Not found', `no entry ${params.index}`, { code: 'NOT_FOUND' });
        return { status: 200, body: proven };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/access-log/consistency',
      operationId: 'accessLogConsistency',
      summary: 'RFC 9162 consistency proof between two sizes of the access log',
      tags: ['access-log'],
      access: ['operator', 'regulator', 'gateway'],
      query: z.strictObject({ first: sizeQuery, second: sizeQuery }),
      responses: {
        200: {
          description: 'the two roots and the consistency proof between them',
          schema: z.object({
            first: z.number().int(),
            second: z.number().int(),
            firstRoot: z.string(),
            secondRoot: z.string(),
            proof: z.array(z.string()),
          }),
        },
      },
      async handler({ query }) {
        if (query.first > query.second || query.second > s.accessLog.size)
          throw outOfRange(`need first ≤ second ≤ ${s.accessLog.size} (the log's size)`);
        return {
          status: 200,
          body: {
            first: query.first,
            second: query.second,
            firstRoot: s.accessLog.root(query.first),
            secondRoot: s.accessLog.root(query.second),
            proof: s.accessLog.consistency(query.first, query.second),
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/access-log/audit',
      operationId: 'auditAccessLog',
      summary: 'Re-read every stored entry and check the log against the head anchored on the ledger',
      description: '`consistent` is false when a stored entry was altered or the stored entries no longer give the anchored root.',
      tags: ['access-log'],
      access: ['operator', 'regulator'],
      responses: {
        200: {
          description: 'what the stored entries give against the anchored head',
          schema: z.object({
            size: z.number().int(),
            anchored: treeHeadRecordSchema.nullable(),
            consistent: z.boolean(),
            alteredEntries: z.array(z.number().int()),
            recomputedRoot: z.string().nullable(),
          }) satisfies z.ZodType<AuditResult>,
        },
      },
      async handler() {
        return { status: 200, body: await s.accessLog.audit() };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/peer/access-log/subjects/{pseudonym}',
      operationId: 'subjectAccessesForPeer',
      summary: "A subject's entries in this city's access log, proven against its latest anchored head (for an access report)",
      description: 'Anchors a head first when the subject has entries after the latest one.',
      tags: ['access-log', 'gateway-to-gateway'],
      access: ['gateway', 'regulator'],
      params: z.strictObject({ pseudonym: pseudonymField }),
      responses: { 200: { description: "the subject's entries and the head they are proven in", schema: cityAccessAnswerSchema } },
      async handler({ params }) {
        return { status: 200, body: await ownAccessAnswer(s, params.pseudonym) };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/subjects/access-report',
      operationId: 'subjectAccessReport',
      summary: "Who accessed a subject's records, and when, in all five cities, with inclusion proofs against anchored tree heads (知情权)",
      description:
        'The identifier travels in the body and is pseudonymised here. Each city part is checked against the head anchored on the ledger (as this gateway’s peer holds it) and the city’s registered key. The report verifies with standard tools: docs/access-log.md.',
      tags: ['access-log', 'subjects'],
      access: ['operator', 'regulator'],
      body: z.union([z.strictObject({ subject: subjectSchema }), z.strictObject({ subjectPseudonym: pseudonymField })]),
      responses: { 200: { description: 'the access report (format jcc-access-report/v1)', schema: accessReportSchema } },
      async handler({ body, principal }) {
        const pseudonym = 'subject' in body ? pseudonymOf(s.secret, body.subject) : body.subjectPseudonym;
        return { status: 200, body: await accessReport(s, pseudonym, principal) };
      },
    }),
  ];
}
