import type { CreditDocument } from '../../document.js';
import type { DocumentStatusRecord } from '../../ledger/records.js';
import type { Checklist } from './checklist.js';

/** Decides `status`: in force unless the issuer recorded a revocation or a replacement. */
export function checkStatus(checks: Checklist, status: DocumentStatusRecord | undefined): void {
  if (status?.status === 'revoked')
    checks.fail('status', 'revoked', `revoked by the issuer at ${status.at}: ${status.reason}`, { at: status.at, reason: status.reason });
  else if (status?.status === 'superseded')
    checks.fail('status', 'superseded', `superseded by ${status.replacementId ?? 'another document'} at ${status.at}: ${status.reason}`, {
      at: status.at,
      reason: status.reason,
      replacementId: status.replacementId ?? '',
    });
  else if (status) checks.fail('status', String(status.status), `the ledger records the status ${String(status.status)}`);
  else checks.pass('status', 'in-force', 'in force: not revoked or superseded');
}

/** Tolerated clock difference when an issue time is compared with now (ms). */
export const DEFAULT_SKEW_MS = 5 * 60_000;

/**
 * Decides `notExpired`: the document was issued no later than `now` plus the
 * tolerated skew, and `validUntil` lies after `now`.
 */
export function checkNotExpired(checks: Checklist, document: CreditDocument, now: number, skewMs: number): void {
  if (Date.parse(document.issuedAt) > now + skewMs)
    checks.fail('notExpired', 'issued-in-future', `issued in the future (${document.issuedAt})`, { issuedAt: document.issuedAt });
  else if (Date.parse(document.validUntil) <= now)
    checks.fail('notExpired', 'expired', `expired at ${document.validUntil}`, { validUntil: document.validUntil });
  else checks.pass('notExpired', 'in-force', `in force until ${document.validUntil}`, { validUntil: document.validUntil });
}
