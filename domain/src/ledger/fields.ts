import * as z from 'zod';
import { CITY_IDS, type CityId } from '../cities.js';
import { isValidSm2PublicJwk } from '../crypto/sm2-key.js';
import { DOCUMENT_TYPES, RECORD_ID_PATTERN } from '../document.js';
import { isValidIdNumber } from '../idNumber.js';
import { isSubjectPseudonym } from '../pseudonym.js';
import { isValidUscc, usccProblem } from '../uscc.js';
import { MAX_TIMESTAMP_LENGTH, isCalendarDate, isTimestamp, normalizeTimestamp } from './time.js';

/**
 * Field schemas shared by the ledger input schemas ({@link ./inputs.ts}).
 * Each carries its own error message, so a refused input names the field
 * and says what was expected.
 */

/** Longest free text (reason, note, legal basis, name, ...), in UTF-16 code units. */
export const MAX_TEXT_LENGTH = 2000;
/** Most items in a list field (measures, services, ...). */
export const MAX_LIST_ITEMS = 50;
/** Largest page of a paginated query. */
export const MAX_PAGE_SIZE = 200;
/** Page size when none is given. */
export const DEFAULT_PAGE_SIZE = 50;
/** Longest bookmark accepted back from a client. */
export const MAX_BOOKMARK_LENGTH = 2048;
/** Longest gateway URL. */
export const MAX_URL_LENGTH = 2048;

/** Members of a JWK that only a private (or symmetric) key has. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * An error message function for a field of the wrong type: `is required`
 * when it is absent, `must be <what>` otherwise.
 */
export function expected(what: string): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`);
}

/** A record id: 1-128 characters of `A-Z a-z 0-9 . _ : -`. */
export const recordIdField = z.string({ error: expected('a string') }).regex(RECORD_ID_PATTERN, {
  error: 'must be 1-128 characters of A-Z a-z 0-9 . _ : -',
});

/** A SHA-256 digest: 64 lower-case hex characters. */
export const sha256HexField = z.string({ error: expected('a string') }).regex(/^[0-9a-f]{64}$/, {
  error: 'must be a SHA-256 digest written as 64 lower-case hex characters',
});

/** A subject pseudonym: `ps1-` and 64 lower-case hex characters. */
export const pseudonymField = z.string({ error: expected('a string') }).refine(isSubjectPseudonym, {
  error: 'must be a subject pseudonym: ps1- followed by 64 lower-case hex characters',
});

/** One of the five city ids. */
export const cityIdField = z.enum(CITY_IDS as readonly CityId[] as [CityId, ...CityId[]], {
  error: expected(`one of ${CITY_IDS.join(', ')}`),
});

/** One of the document types. */
export const documentTypeField = z.enum(DOCUMENT_TYPES, { error: expected(`one of ${DOCUMENT_TYPES.join(', ')}`) });

/** An enumeration field whose error lists the allowed values. */
export function enumField<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: expected(`one of ${values.join(', ')}`) });
}

const TIMESTAMP_EXPECTED = 'must be an RFC 3339 timestamp such as 2026-11-26T08:00:00.000Z or 2026-11-26T16:00:00+08:00';

/**
 * An RFC 3339 timestamp, any offset and precision, normalised to UTC with
 * millisecond precision (the only form the ledger and signed documents hold).
 */
export const timestampField = z
  .string({ error: expected('a string') })
  .max(MAX_TIMESTAMP_LENGTH, { error: TIMESTAMP_EXPECTED })
  .refine(isTimestamp, { error: TIMESTAMP_EXPECTED })
  .transform(normalizeTimestamp);

/** A calendar date `YYYY-MM-DD`. */
export const dateField = z
  .string({ error: expected('a string') })
  .refine(isCalendarDate, { error: 'must be a calendar date written YYYY-MM-DD' });

/** A valid GB 32100-2015 unified social credit code. */
export const usccField = z.string({ error: expected('a string') }).superRefine((value, ctx) => {
  const problem = usccProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `must be a valid USCC: ${problem}`, input: value });
});

/** True when `text` has a C0 control character other than tab, line feed and carriage return, or DEL. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if ((unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) || unit === 0x7f) return true;
  }
  return false;
}
const USCC_TOKEN = /(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])/g;
/** Separators a writer may put inside a number to slip it past a filter. */
const SEPARATORS = /[\s\-_.·・/\\()（）[\]【】,，:：;；'"‘’“”|+*#~]+/gu;
const PHONE_NUMBER = /(?<!\d)1[3-9]\d{9}(?!\d)/;

/**
 * The forms in which free text is searched for identifiers: as written in
 * NFKC (full-width digits and letters become ASCII) and upper case, and the
 * same with every separator removed (so `1 3 8-0013 8000` is one number).
 */
function searchForms(text: string): { words: string; compact: string } {
  const words = text.normalize('NFKC').toUpperCase();
  return { words, compact: words.replace(SEPARATORS, '') };
}

/** True when a run of digits (and a trailing X) holds a valid 18-character resident identity number. */
function holdsIdNumber(compact: string): boolean {
  for (const run of compact.match(/[0-9X]{18,}/g) ?? []) {
    for (let i = 0; i + 18 <= run.length && i <= 64; i++) if (isValidIdNumber(run.slice(i, i + 18))) return true;
  }
  return false;
}

/**
 * Why free text may not go on the ledger, or `undefined` when it may: it
 * must not embed a resident identity number, a unified social credit code or
 * a mobile phone number, since subjects appear on the ledger only as
 * pseudonyms. Full-width characters, lower case, spaces and other separators
 * inside a number do not hide it.
 */
export function personalIdentifierProblem(text: string): string | undefined {
  const { words, compact } = searchForms(text);
  if (holdsIdNumber(compact)) return 'must not contain a resident identity number (subjects appear only as pseudonyms)';
  for (const form of [words, compact]) {
    for (const match of form.matchAll(USCC_TOKEN)) {
      if (isValidUscc(match[0])) return 'must not contain a unified social credit code (subjects appear only as pseudonyms)';
    }
  }
  if (PHONE_NUMBER.test(compact)) return 'must not contain a phone number (subjects appear only as pseudonyms)';
  return undefined;
}

/** Free text that stays in the issuing gateway: 1-{@link MAX_TEXT_LENGTH} characters, not blank, no control characters. */
export const offLedgerTextField = z
  .string({ error: expected('a string') })
  .min(1, { error: 'must not be empty' })
  .max(MAX_TEXT_LENGTH, { error: `must be at most ${MAX_TEXT_LENGTH} characters` })
  .superRefine((value, ctx) => {
    if (value.trim() === '') ctx.addIssue({ code: 'custom', message: 'must not be blank', input: value });
    else if (hasControlCharacter(value)) ctx.addIssue({ code: 'custom', message: 'must not contain control characters', input: value });
  });

/** A list of 1-{@link MAX_LIST_ITEMS} items of {@link offLedgerTextField}. */
export const offLedgerTextListField = z
  .array(offLedgerTextField, { error: expected('an array of strings') })
  .min(1, { error: 'must have at least one item' })
  .max(MAX_LIST_ITEMS, { error: `must have at most ${MAX_LIST_ITEMS} items` });

/**
 * Free text that goes on the ledger: as {@link offLedgerTextField}, and no
 * embedded personal identifier ({@link personalIdentifierProblem}).
 */
export const freeTextField = offLedgerTextField.superRefine((value, ctx) => {
  if (value.trim() === '' || hasControlCharacter(value)) return;
  const problem = personalIdentifierProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
});

/** A list of 1-{@link MAX_LIST_ITEMS} free-text items. */
export const textListField = z
  .array(freeTextField, { error: expected('an array of strings') })
  .min(1, { error: 'must have at least one item' })
  .max(MAX_LIST_ITEMS, { error: `must have at most ${MAX_LIST_ITEMS} items` });

/** 1-4 distinct document types, returned in the fixed order of {@link DOCUMENT_TYPES}. */
export const documentTypeListField = z
  .array(documentTypeField, { error: expected('an array of document types') })
  .min(1, { error: 'must have at least one item' })
  .max(DOCUMENT_TYPES.length, { error: `must have at most ${DOCUMENT_TYPES.length} items` })
  .refine((list) => new Set(list).size === list.length, { error: 'must not repeat a document type' })
  .transform((list) => DOCUMENT_TYPES.filter((t) => list.includes(t)));

/** An http(s) URL without credentials or fragment. */
export const gatewayUrlField = z
  .string({ error: expected('a string') })
  .max(MAX_URL_LENGTH, { error: `must be at most ${MAX_URL_LENGTH} characters` })
  .superRefine((value, ctx) => {
    const problem = gatewayUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });

function gatewayUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.hash !== '') return 'must not contain a fragment';
  return undefined;
}

/** A base64url string of 32 bytes (43 characters, last one carrying 2 zero bits). */
const coordinate32 = z.string({ error: expected('a string') }).regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, {
  error: 'must be 32 bytes in base64url without padding (43 characters)',
});

const ed25519Jwk = z.strictObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519', { error: expected('Ed25519 for kty OKP') }),
  x: coordinate32,
  kid: recordIdField,
  alg: z.enum(['EdDSA', 'Ed25519'], { error: expected('EdDSA or Ed25519') }).optional(),
  use: z.literal('sig', { error: expected('sig') }).optional(),
});

const p256Jwk = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256', { error: expected('P-256 for kty EC') }),
  x: coordinate32,
  y: coordinate32,
  kid: recordIdField,
  alg: z.literal('ES256', { error: expected('ES256') }).optional(),
  use: z.literal('sig', { error: expected('sig') }).optional(),
});

const sm2Jwk = z
  .strictObject({
    kty: z.literal('EC'),
    crv: z.literal('SM2'),
    x: coordinate32,
    y: coordinate32,
    kid: recordIdField,
    alg: z.literal('SM2SM3', { error: expected('SM2SM3') }).optional(),
    use: z.literal('sig', { error: expected('sig') }).optional(),
  })
  .refine(isValidSm2PublicJwk, { error: 'x/y must be a point of the SM2 curve', path: ['y'] });

/** An EC JWK: P-256 or SM2 (GB/T 32918.5 recommended curve), told apart by `crv`. */
const ecJwk = z.discriminatedUnion('crv', [p256Jwk, sm2Jwk], { error: expected('P-256 or SM2 for kty EC') });

/**
 * A public signing key as a JWK: Ed25519 (`kty` OKP), P-256 or SM2 (`kty`
 * EC; an SM2 point must lie on the curve), with a `kid`. Any private-key member (`d`, ...) is refused by name before
 * anything else is checked.
 */
export const publicJwkField = z
  .unknown()
  .superRefine((value, ctx) => {
    if (typeof value !== 'object' || value === null) return;
    for (const member of PRIVATE_JWK_MEMBERS) {
      if (Object.hasOwn(value, member)) {
        ctx.addIssue({
          code: 'custom',
          path: [member],
          message: 'is a private-key member: register the public key only',
          input: value,
          continue: false,
        });
      }
    }
  })
  .pipe(
    z.discriminatedUnion('kty', [ed25519Jwk, ecJwk], {
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be a JWK with kty OKP (Ed25519) or EC (P-256, SM2)'),
    }),
  );

/** Page size of a paginated query: 1-{@link MAX_PAGE_SIZE}, default {@link DEFAULT_PAGE_SIZE}. */
export const pageSizeField = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be an integer' })
  .min(1, { error: `must be between 1 and ${MAX_PAGE_SIZE}` })
  .max(MAX_PAGE_SIZE, { error: `must be between 1 and ${MAX_PAGE_SIZE}` })
  .default(DEFAULT_PAGE_SIZE);

/** The bookmark returned by the previous page; empty or absent for the first page. */
export const bookmarkField = z
  .string({ error: expected('a string') })
  .max(MAX_BOOKMARK_LENGTH, { error: `must be at most ${MAX_BOOKMARK_LENGTH} characters` })
  .default('');

/** Pagination members of every list/query input. */
export const paginationFields = { pageSize: pageSizeField, bookmark: bookmarkField };
