import { canonicalJson, CodedError, type CityId } from '@jcc/domain';

/**
 * The checks that refuse a transaction with a stable error code. Each runs
 * before the transaction's first write, so a refused transaction changes
 * nothing.
 */

/**
 * The record, or `NOT_FOUND` naming what was looked for.
 *
 * @throws CodedError `NOT_FOUND` when `record` is `undefined`.
 */
export function found<T>(record: T | undefined, what: string): T {
  if (record === undefined) throw new CodedError('NOT_FOUND', `${what} does not exist`);
  return record;
}

/**
 * Refuses a change by a city other than the record's owner.
 *
 * @throws CodedError `FORBIDDEN`.
 */
export function assertOwner(owner: CityId, submitter: CityId, what: string): void {
  if (owner !== submitter) throw new CodedError('FORBIDDEN', `${what} belongs to ${owner}; ${submitter} may not change it`);
}

/**
 * Refuses a transaction when the record is not in a state that allows it.
 *
 * @throws CodedError `INVALID_STATE` with `message` when `allowed` is false.
 */
export function assertState(allowed: boolean, message: string): void {
  if (!allowed) throw new CodedError('INVALID_STATE', message);
}

/**
 * Compares the given fields of an existing record with those of a new
 * input for the same id: identical means the transaction is an idempotent
 * no-op; any difference is a conflict.
 *
 * @throws CodedError `CONFLICT` naming the differing fields.
 */
export function assertSameContent<T extends object>(
  existing: T,
  incoming: Partial<T>,
  fields: readonly (keyof T & string)[],
  what: string,
): void {
  const differing = fields.filter((field) => canonicalOrAbsent(existing[field]) !== canonicalOrAbsent(incoming[field]));
  if (differing.length > 0) {
    throw new CodedError('CONFLICT', `${what} already exists with other content (${differing.join(', ')} differ)`);
  }
}

function canonicalOrAbsent(value: unknown): string {
  return value === undefined ? '<absent>' : canonicalJson(value);
}

/** A transaction names a record (by id) that the ledger does not hold: `UNKNOWN_REFERENCE` naming the field (HTTP 422). */
export class UnknownReferenceError extends CodedError {
  constructor(field: string, detail: string) {
    super('UNKNOWN_REFERENCE', `${field}: ${detail}`);
    this.name = 'UnknownReferenceError';
  }
}
