/**
 * Exit codes of `jcc`. Scripts can rely on them; they are listed in
 * `jcc --help` and in cli/README.md.
 */
export const ExitCode = {
  /** The command succeeded; for `verify`, the document is valid. */
  OK: 0,
  /** `verify` ran and the document is NOT valid (a check failed). */
  INVALID: 1,
  /** Wrong usage: unknown option, missing or malformed argument, unreadable or malformed input file. */
  USAGE: 2,
  /** The gateway or the ledger could not be reached, answered with a server error, or something unexpected failed. */
  UNAVAILABLE: 3,
  /** The thing asked for does not exist (unknown report id, unknown agency). */
  NOT_FOUND: 4,
  /** The gateway refused the request: missing/invalid token or role (401/403), or rejected input or state (400/409/422/429). */
  REFUSED: 5,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Text of the exit-code table, for `--help`. */
export const EXIT_CODE_HELP = [
  'Exit codes:',
  '  0  ok; for verify: the document is valid',
  '  1  verify: the document is not valid (a check failed)',
  '  2  usage error (bad option or argument, unreadable or malformed input)',
  '  3  gateway or ledger unreachable, server error, or unexpected failure',
  '  4  not found (unknown report id or agency)',
  '  5  refused by the gateway (authentication, permission, or rejected input)',
].join('\n');

/**
 * An error the CLI reports as one line on stderr (and as `{error}` with
 * `--json`), exiting with {@link CliError.exitCode}.
 */
export class CliError extends Error {
  /** Process exit code. */
  readonly exitCode: ExitCodeValue;
  /** Extra machine-readable facts for `--json` output (HTTP status, problem document, ...). */
  readonly details: Record<string, unknown> | undefined;

  constructor(exitCode: ExitCodeValue, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.details = details;
  }
}

/** A usage error (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(ExitCode.USAGE, message);
}

/**
 * The exit code for an HTTP error status of the gateway: 404 → not found,
 * other 4xx → refused, anything else → unavailable.
 */
export function exitCodeForHttpStatus(status: number): ExitCodeValue {
  if (status === 404) return ExitCode.NOT_FOUND;
  if (status >= 400 && status < 500) return ExitCode.REFUSED;
  return ExitCode.UNAVAILABLE;
}
