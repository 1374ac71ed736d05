import { CommitError, GatewayError, StatusCode } from '@hyperledger/fabric-gateway';
import { parseCodedMessage, type ErrorCode } from '@jcc/domain';

/**
 * Errors of ledger calls, in three kinds: the chaincode refused
 * ({@link LedgerRefusedError}, carries the chaincode's stable code), the
 * transaction was ordered but invalidated ({@link LedgerCommitError}), or the
 * ledger could not be reached or answered unexpectedly ({@link LedgerUnavailableError}).
 */

/** The chaincode refused the call with a `CODE: text` error (nothing was written). */
export class LedgerRefusedError extends Error {
  override readonly name = 'LedgerRefusedError';
  /** The chaincode's stable code. */
  readonly code: ErrorCode;
  /** The chaincode's text, without the code. */
  readonly detail: string;
  /** `contract:Transaction` that was called. */
  readonly transaction: string;

  constructor(transaction: string, code: ErrorCode, detail: string, options?: ErrorOptions) {
    super(`${transaction}: ${code}: ${detail}`, options);
    this.transaction = transaction;
    this.code = code;
    this.detail = detail;
  }
}

/** The transaction was ordered but the peers marked it invalid (e.g. an MVCC read conflict). */
export class LedgerCommitError extends Error {
  override readonly name = 'LedgerCommitError';
  /** Name of the validation code, e.g. `MVCC_READ_CONFLICT`. */
  readonly validationCode: string;
  readonly transactionId: string;
  readonly transaction: string;

  constructor(transaction: string, validationCode: string, transactionId: string, options?: ErrorOptions) {
    super(`${transaction}: transaction ${transactionId} was invalidated: ${validationCode}`, options);
    this.transaction = transaction;
    this.validationCode = validationCode;
    this.transactionId = transactionId;
  }

  /** True when submitting the same call again may succeed. */
  get retryable(): boolean {
    return ['MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT', 'DUPLICATE_TXID'].includes(this.validationCode);
  }
}

/** The ledger could not be reached, timed out, or failed without a chaincode code. */
export class LedgerUnavailableError extends Error {
  override readonly name = 'LedgerUnavailableError';
  readonly transaction: string;

  constructor(transaction: string, message: string, options?: ErrorOptions) {
    super(`${transaction}: ${message}`, options);
    this.transaction = transaction;
  }
}

/** The peer answered, but the chaincode failed without one of the stable codes (a chaincode fault). */
export class LedgerFailureError extends Error {
  override readonly name = 'LedgerFailureError';
  readonly transaction: string;

  constructor(transaction: string, message: string, options?: ErrorOptions) {
    super(`${transaction}: ${message}`, options);
    this.transaction = transaction;
  }
}

/** Any of the ledger errors. */
export type LedgerError = LedgerRefusedError | LedgerCommitError | LedgerUnavailableError | LedgerFailureError;

/** gRPC status codes that mean the peer could not be reached or did not answer in time. */
const UNREACHABLE = new Set([1, 4, 8, 14]); // CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE

const VALIDATION_NAMES = new Map<number, string>(Object.entries(StatusCode).map(([name, value]) => [value as number, name]));

/** The name of a transaction validation code, e.g. `11` → `MVCC_READ_CONFLICT`. */
export function validationCodeName(code: number): string {
  return VALIDATION_NAMES.get(code) ?? `CODE_${code}`;
}

/**
 * Finds the chaincode's `CODE: text` anywhere in a message, skipping
 * look-alikes such as gRPC's `ABORTED: ` prefix.
 */
export function findCodedMessage(message: string): { code: ErrorCode; detail: string } | undefined {
  for (const match of message.matchAll(/\b[A-Z_]{6,}: /g)) {
    const coded = parseCodedMessage(message.slice(match.index));
    if (coded) return coded;
  }
  return undefined;
}

/**
 * Turns whatever a Fabric Gateway call threw into one of the ledger errors.
 * The chaincode's `CODE: text` is looked for in the endorsement error
 * details first (where the peers put the chaincode's message), then in the
 * error message.
 */
export function toLedgerError(transaction: string, err: unknown): LedgerError {
  if (
    err instanceof LedgerRefusedError ||
    err instanceof LedgerCommitError ||
    err instanceof LedgerUnavailableError ||
    err instanceof LedgerFailureError
  )
    return err;
  if (err instanceof CommitError)
    return new LedgerCommitError(transaction, validationCodeName(err.code), err.transactionId, { cause: err });
  if (err instanceof GatewayError) {
    for (const message of [...err.details.map((d) => d.message), err.message]) {
      const coded = findCodedMessage(message);
      if (coded) return new LedgerRefusedError(transaction, coded.code, coded.detail, { cause: err });
    }
    const details = err.details.map((d) => `${d.mspId}@${d.address}: ${d.message}`).join('; ');
    const message = `${err.message}${details ? ` (${details})` : ''}`;
    if (UNREACHABLE.has(err.code) || !/chaincode response/.test(message))
      return new LedgerUnavailableError(transaction, message, { cause: err });
    return new LedgerFailureError(transaction, message, { cause: err });
  }
  if (err instanceof Error) {
    const coded = findCodedMessage(err.message);
    if (coded) return new LedgerRefusedError(transaction, coded.code, coded.detail, { cause: err });
    return new LedgerUnavailableError(transaction, err.message, { cause: err });
  }
  return new LedgerUnavailableError(transaction, String(err));
}

/**
 * True when the endorsers answered differently (Fabric Gateway's
 * "ProposalResponsePayloads do not match", a {@link LedgerUnavailableError}):
 * one of them read the state before a block the others had committed, e.g. a
 * write that follows, at another city, a write committed a moment ago.
 * Nothing was ordered, so it may be sent again.
 */
export function isEndorserMismatch(error: unknown): boolean {
  return error instanceof LedgerUnavailableError && /ProposalResponsePayloads do not match/.test(error.message);
}

/** True when a failed call may succeed if submitted again unchanged. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof LedgerCommitError) return err.retryable;
  return err instanceof LedgerUnavailableError;
}

/** All the text of a Fabric Gateway error: its message and each endorser's detail, joined with `; `. */
export function fabricErrorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const details = (err as Error & { details?: { message?: string }[] }).details;
  const parts = [err.message, ...(Array.isArray(details) ? details.map((d) => d.message ?? '') : [])];
  return parts.filter(Boolean).join('; ');
}
