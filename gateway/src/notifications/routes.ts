import { z } from 'zod';
import { HttpProblem } from '../http/problem.js';
import { route, type AnyRoute } from '../http/route.js';
import type { Services } from '../services.js';
import { MAX_RECEIVER_URL_LENGTH } from './receiver-guard.js';
import { eventStream, parseLastEventId } from './sse.js';
import { NOTIFICATION_TYPES, notificationSchema } from './types.js';

const subscriptionView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(NOTIFICATION_TYPES)),
  description: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
});

const deliveryView = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  notification: notificationSchema,
  state: z.enum(['pending', 'dead']),
  attempts: z.number(),
  createdAt: z.string(),
  nextAttemptAt: z.string().optional(),
  lastAttemptAt: z.string().optional(),
  lastStatus: z.number().optional(),
  lastError: z.string().optional(),
  deadAt: z.string().optional(),
});

const subscriptionId = z
  .string()
  .regex(/^sub_[0-9a-f]{32}$/, 'a subscription id sub_<32 hex>')
  .describe('subscription id');
const deliveryId = z
  .string()
  .regex(/^dlv_[0-9a-z]{21}$/, 'a delivery id dlv_<21 characters>')
  .describe('delivery id');
const eventsField = z
  .array(z.enum(NOTIFICATION_TYPES))
  .min(1)
  .max(NOTIFICATION_TYPES.length)
  .describe(`the notification types to deliver: ${NOTIFICATION_TYPES.join(', ')}`);

/**
 * The notification routes: webhook subscriptions (create, list, read,
 * delete), their deliveries (pending and dead letters, with redelivery), and
 * the Server-Sent Events stream of the same notifications. Open to this
 * city's operators only: notifications are about this city's own work.
 */
export function notificationRoutes(s: Services): AnyRoute[] {
  const n = s.notifications;
  return [
    route({
      method: 'post',
      path: '/api/v1/subscriptions',
      operationId: 'createSubscription',
      summary: 'Subscribe a webhook receiver to notifications (the signing secret is shown once, in this answer)',
      description:
        'Deliveries follow the Standard Webhooks conventions: `webhook-id` (the notification id, the same on every retry), `webhook-timestamp` and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>` keyed with the secret after its `whsec_` prefix, base64-decoded). The URL must be https to a public address (or one in the configured allowed networks); plain http only to loopback, in development configuration. Redirects are never followed. See docs/notifications.md.',
      tags: ['notifications'],
      access: ['operator'],
      body: z.strictObject({
        url: z.string().min(1).max(MAX_RECEIVER_URL_LENGTH).describe('the receiver: https://…'),
        events: eventsField,
        description: z.string().max(200).optional(),
      }),
      responses: {
        201: {
          description: 'the subscription, with its secret (shown only now)',
          schema: subscriptionView.extend({ secret: z.string().describe('whsec_<base64>: the signing secret') }),
        },
      },
      async handler({ body, principal }) {
        const sub = await n.subscribe(body, principal?.subject ?? 'unknown');
        s.log.info({ subscription: sub.id, events: sub.events, by: principal?.subject }, 'subscription created');
        return { status: 201, body: sub, headers: { Location: `/api/v1/subscriptions/${sub.id}`, 'Cache-Control': 'no-store' } };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/subscriptions',
      operationId: 'listSubscriptions',
      summary: "This city's webhook subscriptions, oldest first (without their secrets)",
      tags: ['notifications'],
      access: ['operator'],
      responses: { 200: { description: '{records}', schema: z.object({ records: z.array(subscriptionView) }) } },
      async handler() {
        return { status: 200, body: { records: n.list() } };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/subscriptions/{id}',
      operationId: 'getSubscription',
      summary: 'One webhook subscription (without its secret)',
      tags: ['notifications'],
      access: ['operator'],
      params: z.strictObject({ id: subscriptionId }),
      responses: { 200: { description: 'the subscription', schema: subscriptionView }, 404: { description: 'no such subscription' } },
      async handler({ params }) {
        return { status: 200, body: n.get(params.id) };
      },
    }),
    route({
      method: 'delete',
      path: '/api/v1/subscriptions/{id}',
      operationId: 'deleteSubscription',
      summary: 'Delete a webhook subscription, with its pending deliveries and dead letters',
      tags: ['notifications'],
      access: ['operator'],
      params: z.strictObject({ id: subscriptionId }),
      responses: { 204: { description: 'deleted' }, 404: { description: 'no such subscription' } },
      async handler({ params, principal }) {
        await n.unsubscribe(params.id);
        s.log.info({ subscription: params.id, by: principal?.subject }, 'subscription deleted');
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/deliveries',
      operationId: 'listDeliveries',
      summary: 'Webhook deliveries not yet made: pending (with their next attempt) and dead letters (retry budget spent)',
      description:
        'Oldest first. A delivered notification leaves this list. `after` is the last delivery id of the previous page; `nextAfter` is empty after the last page.',
      tags: ['notifications'],
      access: ['operator'],
      query: z.strictObject({
        state: z.enum(['pending', 'dead']).optional().describe('pending | dead'),
        subscription: subscriptionId.optional(),
        after: deliveryId.optional().describe('the last delivery id of the previous page'),
        pageSize: z.coerce.number().int().min(1).max(500).default(100),
      }),
      responses: {
        200: {
          description: '{records, nextAfter}',
          schema: z.object({ records: z.array(deliveryView), nextAfter: z.string().describe('empty after the last page') }),
        },
      },
      async handler({ query }) {
        const records = await n.deliveries({
          ...(query.state ? { state: query.state } : {}),
          ...(query.subscription ? { subscription: query.subscription } : {}),
          ...(query.after ? { after: query.after } : {}),
          limit: query.pageSize,
        });
        return { status: 200, body: { records, nextAfter: records.length === query.pageSize ? (records.at(-1)?.id ?? '') : '' } };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/deliveries/{id}/redeliver',
      operationId: 'redeliver',
      summary: 'Queue a dead letter again, with a fresh retry budget',
      tags: ['notifications'],
      access: ['operator'],
      params: z.strictObject({ id: deliveryId }),
      responses: {
        202: { description: 'queued; the delivery', schema: deliveryView },
        404: { description: 'no such delivery' },
        409: { description: 'the delivery is still pending' },
      },
      async handler({ params, principal }) {
        const d = await n.redeliver(params.id);
        s.log.info({ delivery: d.id, by: principal?.subject }, 'dead letter queued again');
        return { status: 202, body: d };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/events',
      operationId: 'eventStream',
      summary: 'The same notifications as a Server-Sent Events stream (text/event-stream)',
      description:
        "Each event has `id:` (its position in this gateway's notification log), `event:` (the notification type) and `data:` (the notification JSON, as delivered to webhooks). Send `Last-Event-ID` (or `lastEventId`) to resume after an event; without it the stream starts with the next notification. `types` (comma-separated) narrows the types. The request must accept `text/event-stream`. A comment line is sent every 15 s to keep the connection open.",
      tags: ['notifications'],
      access: ['operator'],
      query: z.strictObject({
        types: z
          .string()
          .max(400)
          .optional()
          .describe(`comma-separated notification types (default all): ${NOTIFICATION_TYPES.join(', ')}`),
        lastEventId: z.string().max(20).optional().describe('resume after this event id (as the Last-Event-ID header)'),
      }),
      responses: {
        200: { description: 'the event stream', mediaType: 'text/event-stream', schema: z.string() },
        406: { description: 'the request does not accept text/event-stream' },
      },
      async handler({ req, res, query }) {
        if (!/text\/event-stream/i.test(req.get('accept') ?? ''))
          throw new HttpProblem(
            406,
            'not-acceptable',
            'Not acceptable',
            'this endpoint answers text/event-stream only; send Accept: text/event-stream',
          );
        const types = query.types === undefined ? undefined : parseTypes(query.types);
        const last = parseLastEventId(req.get('last-event-id') ?? query.lastEventId);
        eventStream(n, req, res, { types, after: last ?? n.lastSeq });
        return undefined;
      },
    }),
  ];
}

/** The `types` filter of the event stream. @throws HttpProblem 400 naming an unknown type. */
function parseTypes(text: string): ReadonlySet<string> {
  const types = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = types.filter((t) => !(NOTIFICATION_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0 || types.length === 0)
    throw new HttpProblem(400, 'invalid-argument', 'Invalid argument', `types: one or more of ${NOTIFICATION_TYPES.join(', ')}`, {
      code: 'INVALID_ARGUMENT',
      errors: [{ path: 'types', message: unknown.length ? `unknown: ${unknown.join(', ')}` : 'empty' }],
    });
  return new Set(types);
}
