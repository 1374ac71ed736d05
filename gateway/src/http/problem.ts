import { CodedError, ERROR_CODES, isErrorCode } from '@jcc/domain';
import { ZodError } from 'zod';
import { JsonInputError } from './json-body.js';
import { AccessLogDivergedError } from '../access-log/log.js';
import { ForbiddenError, UnauthenticatedError } from '../auth/errors.js';
import { LedgerCommitError, LedgerFailureError, LedgerRefusedError, LedgerUnavailableError } from '../fabric/errors.js';
import { IdempotencyConflictError, IssueRequestError } from '../issue/issuer.js';

/** Base of the `type` URIs of the gateway's problems. */
export const PROBLEM_BASE = 'https://jcc.jiaodong.local/problems/';

/** An RFC 9457 problem details document. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** The chaincode's (or gateway's) stable error code. */
  code?: string;
  /** Field errors of a refused request. */
  errors?: Array<{ path: string; message: string }>;
}

/** An error that is answered as a given problem. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  readonly problem: ProblemDocument;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    slug: string,
    title: string,
    detail?: string,
    extra: Partial<ProblemDocument> = {},
    headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.problem = { type: PROBLEM_BASE + slug, title, status, ...(detail === undefined ? {} : { detail }), ...extra };
    this.headers = headers;
  }
}

/**
 * The `WWW-Authenticate` challenge of every 401 (RFC 6750 §3): a fixed text,
 * never built from the request or the error, so no client input can reach a
 * header (the reason is in the problem's `detail`).
 */
export const BEARER_CHALLENGE =
  'Bearer realm="jcc", error="invalid_token", error_description="the bearer token is missing or not valid here"';

/** Titles and type slugs of the chaincode's codes. */
const CODE_TITLES: Record<keyof typeof ERROR_CODES, [string, string]> = {
  INVALID_ARGUMENT: ['invalid-argument', 'Invalid argument'],
  FORBIDDEN: ['forbidden', 'Forbidden'],
  NOT_FOUND: ['not-found', 'Not found'],
  CONFLICT: ['conflict', 'Conflict'],
  INVALID_STATE: ['invalid-state', 'Invalid state'],
  UNKNOWN_CITY: ['unknown-city', 'Unknown city'],
  UNKNOWN_REFERENCE: ['unknown-reference', 'Unknown reference'],
};

/** Formats a zod error path as `a.b[2].c`. */
export function formatZodPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out || '(body)';
}

/**
 * The problem document for any error. Known errors map to their status
 * (ledger codes through the domain's `ERROR_CODES` table); anything else is
 * a 500 whose detail reveals nothing about the internals.
 */
export function toProblem(err: unknown): { problem: ProblemDocument; headers: Record<string, string>; internal: boolean } {
  const headers: Record<string, string> = {};
  const make = (status: number, slug: string, title: string, detail?: string, extra: Partial<ProblemDocument> = {}): ProblemDocument => ({
    type: PROBLEM_BASE + slug,
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    ...extra,
  });
  if (err instanceof HttpProblem) return { problem: err.problem, headers: err.headers, internal: false };
  if (err instanceof ZodError) {
    const errors = err.issues.map((i) => ({
      path: formatZodPath(i.path),
      message:
        i.code === 'unrecognized_keys'
          ? `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`
          : i.message,
    }));
    return {
      problem: make(400, 'invalid-request', 'Invalid request', errors.map((e) => `${e.path}: ${e.message}`).join('; '), {
        code: 'INVALID_ARGUMENT',
        errors,
      }),
      headers,
      internal: false,
    };
  }
  if (err instanceof LedgerRefusedError || err instanceof CodedError) {
    const code = err.code;
    const [slug, title] = CODE_TITLES[code];
    return { problem: make(ERROR_CODES[code], slug, title, err.detail, { code }), headers, internal: false };
  }
  if (err instanceof UnauthenticatedError) {
    headers['WWW-Authenticate'] = BEARER_CHALLENGE;
    return { problem: make(401, 'unauthenticated', 'Unauthenticated', err.message), headers, internal: false };
  }
  if (err instanceof ForbiddenError)
    return { problem: make(403, 'forbidden', 'Forbidden', err.message, { code: 'FORBIDDEN' }), headers, internal: false };
  if (err instanceof IdempotencyConflictError)
    return { problem: make(422, 'idempotency-key-reused', 'Idempotency key reused', err.message), headers, internal: false };
  if (err instanceof IssueRequestError)
    return {
      problem: make(400, 'invalid-request', 'Invalid request', err.message, { code: 'INVALID_ARGUMENT' }),
      headers,
      internal: false,
    };
  if (err instanceof AccessLogDivergedError)
    return {
      problem: make(503, 'access-log-diverged', 'Access log diverged', err.message, { code: 'ACCESS_LOG_DIVERGED' }),
      headers,
      internal: false,
    };
  if (err instanceof LedgerCommitError) {
    headers['Retry-After'] = '1';
    return {
      problem: make(
        503,
        'ledger-conflict',
        'Ledger transaction invalidated',
        `the transaction was invalidated (${err.validationCode}); retry`,
      ),
      headers,
      internal: false,
    };
  }
  if (err instanceof LedgerUnavailableError) {
    headers['Retry-After'] = '5';
    return {
      problem: make(503, 'ledger-unavailable', 'Ledger unavailable', 'the city peer could not be reached or did not answer; retry later'),
      headers,
      internal: true,
    };
  }
  if (err instanceof LedgerFailureError) {
    return {
      problem: make(502, 'ledger-failure', 'Ledger failure', 'the chaincode failed to answer this request'),
      headers,
      internal: true,
    };
  }
  if (err instanceof JsonInputError)
    return {
      problem: make(400, 'invalid-json', 'Invalid JSON input', err.message, { code: 'INVALID_ARGUMENT' }),
      headers,
      internal: false,
    };
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string; code?: string };
  // A path that cannot be percent-decoded (the router's URIError, status 400 but not marked to be exposed).
  if (err instanceof URIError || (e && typeof e === 'object' && e.status === 400 && /decode/i.test(String(e.message))))
    return {
      problem: make(400, 'bad-path-encoding', 'Bad percent-encoding', 'a path parameter is not valid percent-encoded UTF-8'),
      headers,
      internal: false,
    };
  // Errors of the body parsers (http-errors with `expose`).
  if (e && typeof e === 'object' && typeof e.status === 'number' && e.expose) {
    if (e.type === 'entity.too.large')
      return { problem: make(413, 'body-too-large', 'Request body too large', e.message), headers, internal: false };
    if (e.type === 'entity.parse.failed')
      return { problem: make(400, 'malformed-json', 'Malformed JSON', 'the request body is not valid JSON'), headers, internal: false };
    if (e.type === 'encoding.unsupported' || e.status === 415)
      return { problem: make(415, 'unsupported-media-type', 'Unsupported media type', e.message), headers, internal: false };
    if (e.status >= 400 && e.status < 500)
      return { problem: make(e.status, 'bad-request', 'Bad request', e.message), headers, internal: false };
  }
  // Any other client error of a library (http-errors) that is not marked to be exposed: its status, a fixed text.
  if (e && typeof e === 'object' && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && !isErrorCode(e.code))
    return { problem: make(e.status, 'bad-request', 'Bad request', 'the request was refused'), headers, internal: false };
  if (isErrorCode(e?.code)) {
    const [slug, title] = CODE_TITLES[e.code];
    return { problem: make(ERROR_CODES[e.code], slug, title, e.message, { code: e.code }), headers, internal: false };
  }
  return { problem: make(500, 'internal', 'Internal error', 'the gateway failed to handle the request'), headers, internal: true };
}
