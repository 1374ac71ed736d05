import type { components } from './generated/gateway-api.js';

/** An RFC 9457 problem document as a gateway sends it (`components.schemas.Problem` of its OpenAPI document). */
export type ProblemDocument = components['schemas']['Problem'] & { instance?: string };

/**
 * A gateway answered a request with a status outside 2xx. Carries the
 * problem document (RFC 9457) when the answer was one, and the stable
 * error `code` (`NOT_FOUND`, `INVALID_STATE`, …) when the problem has one.
 */
export class GatewayProblemError extends Error {
  override readonly name = 'GatewayProblemError';

  constructor(
    /** Request method, upper case. */
    readonly method: string,
    /** Request path with its query, e.g. `/api/v1/reports/qd-1`. */
    readonly path: string,
    readonly status: number,
    /** The problem document, when the body was one; else the body as text or JSON, or `undefined`. */
    readonly problem: ProblemDocument | undefined,
    /** The whole answer body as parsed (JSON) or text, for callers that need more than the problem. */
    readonly body: unknown,
    /** The answer's headers (e.g. `Retry-After`). */
    readonly headers: Headers,
  ) {
    super(`${method} ${path}: ${describeProblem(status, problem, body)}`);
  }

  /** The chaincode's or gateway's stable error code, when the problem has one. */
  get code(): string | undefined {
    return this.problem?.code;
  }
}

/** A gateway could not be reached (connection refused, reset, timed out). */
export class GatewayUnreachableError extends Error {
  override readonly name = 'GatewayUnreachableError';

  constructor(
    readonly method: string,
    readonly url: string,
    /** Why, e.g. `connect ECONNREFUSED 127.0.0.1:8101` or `timed out`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${method} ${url}: ${reason}`, options);
  }
}

/** True when `value` looks like a problem document (an object with a title or a detail). */
export function isProblemDocument(value: unknown): value is ProblemDocument {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('title' in value || 'detail' in value);
}

/**
 * One line for an error answer, from its problem document when it sent one:
 * `404 Not found: no report qd-1 (path message; …)`.
 */
export function describeProblem(status: number, problem: ProblemDocument | undefined, body: unknown): string {
  let text = String(status);
  if (problem) {
    if (problem.title) text += ` ${problem.title}`;
    if (problem.detail) text += `: ${problem.detail}`;
    const errors = Array.isArray(problem.errors) ? problem.errors : [];
    if (errors.length > 0) {
      const items = errors.slice(0, 5).map((e) => [e.path, e.message].filter((x) => x !== undefined && x !== '').join(' '));
      text += ` (${items.join('; ')})`;
    }
  } else if (typeof body === 'string' && body !== '') text += `: ${body.slice(0, 200)}`;
  return text;
}
