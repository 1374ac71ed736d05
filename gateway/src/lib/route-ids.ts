import type { CityId } from '@jcc/domain';
import type { Principal } from '../auth/roles.js';
import { derivedRecordId, newRecordId } from './ids.js';

/**
 * The id of a record a request creates: derived from the request's
 * `Idempotency-Key` when it has one (so a retry names the same record and the
 * chaincode's idempotency applies), else new.
 */
export function idForRequest(city: CityId, kind: string, principal: Principal | undefined, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return newRecordId(city, kind);
  return derivedRecordId(city, kind, `${principal?.city ?? '-'}|${principal?.subject ?? '-'}|${kind}`, idempotencyKey);
}
