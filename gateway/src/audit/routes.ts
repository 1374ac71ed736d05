import { z } from 'zod';
import { cityIdField } from '@jcc/domain';
import { route, type AnyRoute } from '../http/route.js';
import { eventKey, type AuditEvent } from '../index/tables.js';
import type { Services } from '../services.js';

/** {@link AuditEvent}: a ledger event as the index keeps it. */
const auditEventSchema = z.object({
  seq: z.number().int().describe("position in the index's event log (1-based, gap-free)"),
  blockNumber: z.number().int(),
  transactionId: z.string(),
  name: z.string().describe('the chaincode event, e.g. DocumentRevoked'),
  city: cityIdField.optional().describe('the submitting city'),
  payload: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<Omit<AuditEvent, 'city'> & { city?: AuditEvent['city'] }>;

/** Routes of the audit trail (the ledger events the index holds). */
export function auditRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/audit',
      operationId: 'audit',
      summary: 'Ledger events (who anchored, revoked, recognised what, and when), oldest first',
      description:
        'Pages through the events the local index holds, from sequence number `after` (exclusive); filter by event name and submitting city.',
      tags: ['audit'],
      access: ['regulator'],
      query: z.strictObject({
        after: z.coerce.number().int().min(0).optional().describe('sequence number to continue after (default 0)'),
        limit: z.coerce.number().int().min(1).max(1000).optional().describe('default 100'),
        event: z
          .string()
          .regex(/^[A-Za-z]{1,64}$/)
          .optional()
          .describe('event name, e.g. DocumentRevoked'),
        city: cityIdField.optional().describe('submitting city'),
      }),
      responses: {
        200: {
          description: 'one page of ledger events',
          schema: z.object({
            events: z.array(auditEventSchema),
            next: z.number().int().nullable().describe('the `after` of the next page; null after the last'),
            indexedThrough: z
              .object({ blockNumber: z.number().int(), transactionId: z.string(), seq: z.number().int() })
              .nullable()
              .describe('the last event the index applied'),
            caughtUp: z.boolean(),
          }),
        },
      },
      async handler({ query }) {
        const limit = query.limit ?? 100;
        const events = [];
        let last = query.after ?? 0;
        for await (const [, event] of s.index.tables.events.entries({ gt: eventKey(query.after ?? 0) })) {
          last = event.seq;
          if (query.event && event.name !== query.event) continue;
          if (query.city && event.city !== query.city) continue;
          events.push(event);
          if (events.length >= limit) break;
        }
        const cp = s.index.checkpoint;
        return {
          status: 200,
          body: {
            events,
            next: events.length >= limit ? last : null,
            indexedThrough: cp ? { blockNumber: Number(cp.blockNumber), transactionId: cp.transactionId, seq: cp.seq } : null,
            caughtUp: s.index.caughtUp,
          },
        };
      },
    }),
  ];
}
