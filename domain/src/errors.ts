/**
 * Stable error codes shared by the chaincode (which throws them) and the
 * gateway (which maps them to HTTP problem responses).
 */
export const ERROR_CODES = {
  /** Input missing, malformed, oversized, of an unknown enum value, or dates out of order. */
  INVALID_ARGUMENT: 400,
  /** The submitter's city may not write this record (another city owns it). */
  FORBIDDEN: 403,
  /** No record under that key. */
  NOT_FOUND: 404,
  /** A record exists under that key with different content (e.g. same document id, other hash). */
  CONFLICT: 409,
  /** The record exists but is in a state that does not allow this change (e.g. removing a removed entry). */
  INVALID_STATE: 409,
  /** The submitter is not a member of any of the five cities. */
  UNKNOWN_CITY: 403,
  /**
   * The input is well formed but names a record the ledger does not hold (recognising a document that was
   * never anchored, superseding with a replacement that does not exist). 422, not 404: the URL's resource
   * exists and nothing the caller addressed is missing, it is the reference inside the body that dangles.
   */
  UNKNOWN_REFERENCE: 422,
} as const;

/** One of the stable error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** True when `value` is one of the stable error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * An error with a stable code. Its message is written `CODE: text`, which is
 * what travels through Fabric's endorsement error to the gateway and is read
 * back with {@link parseCodedMessage}.
 */
export class CodedError extends Error {
  /** The stable error code. */
  readonly code: ErrorCode;
  /** The human-readable text, without the code prefix. */
  readonly detail: string;

  constructor(code: ErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = 'CodedError';
    this.code = code;
    this.detail = detail;
  }
}

/**
 * Finds `CODE: text` in a message that may be wrapped by Fabric (e.g.
 * `chaincode response 500, FORBIDDEN: ...`). Returns `undefined` when no code is present.
 */
export function parseCodedMessage(message: string): { code: ErrorCode; detail: string } | undefined {
  const match = /\b([A-Z_]{6,}): (.*)$/s.exec(message);
  if (!match || !isErrorCode(match[1])) return undefined;
  return { code: match[1], detail: (match[2] ?? '').trim() };
}
