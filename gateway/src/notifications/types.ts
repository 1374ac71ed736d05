import { createHash } from 'node:crypto';
import { z } from 'zod';
import { NOTIFICATION_TYPES, type CityId, type NotificationType } from '@jcc/domain';

/** The notification types (defined with the domain, so the CLI and the gateway name the same ones). */
export { NOTIFICATION_TYPES, type NotificationType };

/** Where on the ledger a notification comes from. */
export interface LedgerSource {
  /** The chaincode event. */
  event: string;
  blockNumber: number;
  transactionId: string;
}

/**
 * A notification: the body of a webhook delivery and the `data` of a
 * Server-Sent Event. `id` is stable (derived from the ledger facts it reports),
 * so the same fact is never reported twice, and it is the `webhook-id` of
 * every delivery of it.
 */
export interface Notification {
  id: string;
  type: NotificationType;
  /** The city notified. */
  city: CityId;
  /** When the reported fact happened (the ledger transaction's time; for `objection.overdue`, the deadline). */
  timestamp: string;
  ledger: LedgerSource;
  data: Record<string, unknown>;
}

/** A notification as this gateway's notification log keeps it: with its position (the SSE event id). */
export interface LoggedNotification extends Notification {
  seq: number;
}

/** The stable id of a notification about `parts` (e.g. type, transaction id, record key): `ntf_` and 26 base32 characters. */
export function notificationId(...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  for (let i = 0; i < 26; i++) out += alphabet[(digest[i] ?? 0) % 32];
  return `ntf_${out}`;
}

/** Schema of a notification (OpenAPI documentation of deliveries and SSE events). */
export const notificationSchema = z.object({
  id: z.string().describe('stable id; also the webhook-id header'),
  type: z.enum(NOTIFICATION_TYPES),
  city: z.string().describe('the city notified'),
  timestamp: z.string().describe('when the reported fact happened (RFC 3339)'),
  ledger: z.object({ event: z.string(), blockNumber: z.number(), transactionId: z.string() }),
  data: z.record(z.string(), z.unknown()),
});
