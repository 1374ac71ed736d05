import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_BOOKMARK_LENGTH, MAX_PAGE_SIZE, cityById, pseudonymField, type CityId } from '@jcc/domain';
import type { Principal } from '../auth/roles.js';
import { HttpProblem } from '../http/problem.js';
import type { Services } from '../services.js';

/** `pageSize` of a list query: 1-{@link MAX_PAGE_SIZE}, default {@link DEFAULT_PAGE_SIZE}. */
export const pageSizeQuery = z.coerce
  .number()
  .int()
  .min(1)
  .max(MAX_PAGE_SIZE)
  .default(DEFAULT_PAGE_SIZE)
  .describe(`page size, 1-${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`);

/** `bookmark` of a list query: the opaque bookmark of the previous page. */
export const bookmarkQuery = z.string().max(MAX_BOOKMARK_LENGTH).optional().describe('the bookmark returned by the previous page');

const DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z)?$/;

/** `from` / `to`: a calendar date or an RFC 3339 UTC instant, both inclusive. */
export const dateBoundQuery = z
  .string()
  .regex(DATE_OR_TIME, 'must be a date YYYY-MM-DD or a UTC instant YYYY-MM-DDThh:mm[:ss[.sss]]Z')
  .optional();

/** `subject`: a subject's pseudonym (as the subject look-up answers it); identifiers never travel in URLs. */
export const subjectQuery = pseudonymField.optional().describe("the subject's pseudonym (from the subject look-up); never an identifier");

/** The envelope of every list answer. */
export const listAnswerSchema = z.object({
  records: z.array(z.unknown()),
  bookmark: z.string().describe('bookmark of the next page; empty after the last'),
  pageSize: z.number(),
  indexedThrough: z
    .object({ blockNumber: z.number(), transactionId: z.string() })
    .nullable()
    .describe('the last block (and transaction) of the ledger the index reflects'),
  caughtUp: z.boolean().describe('whether the index has applied every event the ledger holds'),
});

/** {@link listAnswerSchema} with its records described by `record`. */
export function listAnswerOf<T extends z.ZodType>(record: T) {
  return listAnswerSchema.extend({ records: z.array(record) });
}

/** The block height facts of an answer served from the index. */
export function indexFacts(s: Services): { indexedThrough: { blockNumber: number; transactionId: string } | null; caughtUp: boolean } {
  const cp = s.index.checkpoint;
  return {
    indexedThrough: cp ? { blockNumber: Number(cp.blockNumber), transactionId: cp.transactionId } : null,
    caughtUp: s.index.caughtUp,
  };
}

/**
 * The city whose records an operator asks for: an operator sees its own
 * city's records only; a regulator sees every city's (`undefined`: all).
 *
 * @throws HttpProblem 403 when an operator names another city.
 */
export function scopeCity(s: Services, principal: Principal | undefined, asked: CityId | undefined): CityId | undefined {
  if (principal?.role === 'regulator') return asked;
  if (asked !== undefined && asked !== s.city)
    throw new HttpProblem(
      403,
      'forbidden',
      'Forbidden',
      `an operator of ${cityById(s.city).name} sees its own city's records only, not ${cityById(asked).name}'s`,
      { code: 'FORBIDDEN' },
    );
  return s.city;
}

/** The range of a sort key's date part from inclusive `from`/`to` bounds. */
export function dateRange(from: string | undefined, to: string | undefined): { from?: string; to?: string } {
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** True when `time` (an RFC 3339 instant or a date) lies within inclusive `from`/`to` bounds compared as prefixes. */
export function withinDates(time: string, from: string | undefined, to: string | undefined): boolean {
  if (from && time < from) return false;
  if (to && time > to + '\uffff') return false;
  return true;
}

/** Today's date in China Standard Time (UTC+8), `YYYY-MM-DD`: list entries end at the end of their end date there. */
export function chinaDate(millis: number): string {
  return new Date(millis + 8 * 3600_000).toISOString().slice(0, 10);
}
