import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CityId } from '@jcc/domain';

/**
 * What an operator can be told (通知), each derived from the ledger's events
 * as this city's event index applied them:
 * - `document.revoked` / `document.superseded`: another city revoked or
 *   superseded a document this city recognised (互认, decision `accepted`);
 * - `objection.raised`: an objection (异议) was registered against one of this
 *   city's list entries; `objection.overdue`: it is still unanswered past its deadline;
 * - `agreement.proposed`: another city proposed a recognition agreement to this
 *   city; `agreement.ended`: the other party ended one this city is party to;
 * - `agency.status-changed`: the filing city changed the status or alliance
 *   standing of an agency this city supervises (recorded a supervision action against).
 */
export const NOTIFICATION_TYPES = [
  'document.revoked',
  'document.superseded',
  'objection.raised',
  'objection.overdue',
  'agreement.proposed',
  'agreement.ended',
  'agency.status-changed',
] as const;

/** One of the {@link NOTIFICATION_TYPES}. */
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

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
