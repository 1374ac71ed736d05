import type { AgreementView, KeyRecord } from './records.js';
import { instantMillis } from './time.js';

/**
 * When ledger records are in force. Timestamps are compared as instants
 * (see {@link instantMillis}), so `…:00Z`, `…:00.000Z` and a timestamp with
 * an offset naming the same instant compare equal.
 */

/**
 * True when a registered key may sign at instant `at`: on or after
 * `validFrom`, before `validTo` (when set) and before `revokedAt` (when set).
 *
 * @throws InvalidInstantError when `at` or one of the key's timestamps is not an RFC 3339 timestamp.
 */
export function isKeyValidAt(key: Pick<KeyRecord, 'validFrom' | 'validTo' | 'revokedAt'>, at: string): boolean {
  const t = instantMillis(at);
  if (t < instantMillis(key.validFrom)) return false;
  if (key.validTo !== undefined && t >= instantMillis(key.validTo)) return false;
  if (key.revokedAt !== undefined && t >= instantMillis(key.revokedAt)) return false;
  return true;
}

/**
 * True when a recognition agreement covers instant `at`: it has been
 * accepted, `at` lies within `[validFrom, validTo)`, and the agreement had
 * not ended by `at`. Acceptance ratifies the whole validity window; ending
 * an agreement does not undo what it covered before its end.
 *
 * @throws InvalidInstantError when `at` or one of the agreement's timestamps is not an RFC 3339 timestamp.
 */
export function isAgreementInForceAt(
  agreement: Pick<AgreementView, 'validFrom' | 'validTo' | 'acceptedAt' | 'endedAt'>,
  at: string,
): boolean {
  const t = instantMillis(at);
  if (agreement.acceptedAt === undefined) return false;
  if (agreement.endedAt !== undefined && t >= instantMillis(agreement.endedAt)) return false;
  return t >= instantMillis(agreement.validFrom) && t < instantMillis(agreement.validTo);
}
