import type { AgreementView, KeyRecord } from './records.js';

/**
 * When ledger records are in force. Timestamps are compared as canonical
 * RFC 3339 UTC strings (always with milliseconds), which sort by time.
 */

/**
 * True when a registered key may sign at instant `at`: on or after
 * `validFrom`, before `validTo` (when set) and before `revokedAt` (when set).
 */
export function isKeyValidAt(key: Pick<KeyRecord, 'validFrom' | 'validTo' | 'revokedAt'>, at: string): boolean {
  if (at < key.validFrom) return false;
  if (key.validTo !== undefined && at >= key.validTo) return false;
  if (key.revokedAt !== undefined && at >= key.revokedAt) return false;
  return true;
}

/**
 * True when a recognition agreement covers instant `at`: it has been
 * accepted, `at` lies within `[validFrom, validTo)`, and the agreement had
 * not ended by `at`. Acceptance ratifies the whole validity window; ending
 * an agreement does not undo what it covered before its end.
 */
export function isAgreementInForceAt(
  agreement: Pick<AgreementView, 'validFrom' | 'validTo' | 'acceptedAt' | 'endedAt'>,
  at: string,
): boolean {
  if (agreement.acceptedAt === undefined) return false;
  if (agreement.endedAt !== undefined && at >= agreement.endedAt) return false;
  return at >= agreement.validFrom && at < agreement.validTo;
}
