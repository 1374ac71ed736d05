/**
 * What a city's operators can be told (通知), each derived from the ledger's
 * events by the city's gateway (docs/notifications.md):
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
