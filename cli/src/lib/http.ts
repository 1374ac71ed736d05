import { CliError, ExitCode, exitCodeForHttpStatus, usageError } from './exit.js';

/** An RFC 9457 problem document as the gateways send it. */
export interface ProblemDocument {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: unknown[];
}

/** How to reach one city gateway. */
export interface GatewayClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8101`. */
  baseUrl: string;
  /** Bearer token (JWT), when the caller has one. */
  token?: string | undefined;
  /** Time limit of one request, in milliseconds. */
  timeoutMs: number;
  /** `fetch` to use (tests); defaults to the global one. */
  fetchImpl?: typeof fetch;
}

/** Options of one request. */
export interface RequestOptions {
  /** JSON body to send. */
  body?: unknown;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Whether the request needs the bearer token (default: sent when present, not required). */
  auth?: 'required' | 'optional';
  /** A body sent as is (a file's stream), instead of `body`. */
  raw?: { body: ReadableStream<Uint8Array>; contentType: string };
  /** Time limit of this request (default: the client's); 0 = none. */
  timeoutMs?: number;
}

/** A successful response: its status and parsed JSON body. */
export interface GatewayResponse<T> {
  status: number;
  body: T;
}

/**
 * Checks and normalises a gateway base URL: `http:` or `https:`, no query or
 * fragment, no trailing slash.
 *
 * @throws CliError (usage) when the URL is not usable.
 */
export function normaliseGatewayUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw usageError(`--gateway: not a URL: ${input}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`--gateway: use an http:// or https:// URL, not ${url.protocol}`);
  if (url.search || url.hash) throw usageError('--gateway: the URL must not have a query or fragment');
  return url.href.replace(/\/+$/, '');
}

/** True when `value` looks like a problem document (or at least an error body with a title or detail). */
export function isProblemDocument(value: unknown): value is ProblemDocument {
  return typeof value === 'object' && value !== null && ('title' in value || 'detail' in value);
}

/**
 * One line describing an HTTP error of the gateway, from its problem
 * document when it sent one: `404 Not Found: no report qd-1`.
 */
export function describeHttpError(status: number, statusText: string, body: unknown): string {
  let text = `${status}${statusText ? ` ${statusText}` : ''}`;
  if (isProblemDocument(body)) {
    if (body.title && body.title !== statusText) text += ` ${body.title}`;
    if (body.detail) text += `: ${body.detail}`;
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      const items = body.errors.slice(0, 5).map((e) => {
        if (typeof e === 'object' && e !== null) {
          const rec = e as Record<string, unknown>;
          return [rec.path ?? rec.instancePath ?? rec.pointer, rec.message ?? rec.detail]
            .filter((x) => x !== undefined && x !== '')
            .join(' ');
        }
        return String(e);
      });
      text += ` (${items.join('; ')})`;
    }
  }
  return text;
}

/** The message of a failed `fetch`, with its cause (e.g. `connect ECONNREFUSED 127.0.0.1:8101`). */
function networkErrorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
    return err.message;
  }
  return String(err);
}

/**
 * A small client of one city gateway's REST API (gateway/REST.md). Every
 * failure becomes a {@link CliError} with the matching exit code.
 */
export class GatewayClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: GatewayClientOptions) {
    this.baseUrl = normaliseGatewayUrl(options.baseUrl);
    this.#token = options.token || undefined;
    this.#timeoutMs = options.timeoutMs;
    this.#fetch = options.fetchImpl ?? fetch;
  }

  /** True when a bearer token is configured. */
  get hasToken(): boolean {
    return this.#token !== undefined;
  }

  /** Sends one request and returns the parsed JSON of a 2xx answer. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<GatewayResponse<T>> {
    if (options.auth === 'required' && !this.#token) {
      throw usageError(
        'this command needs a bearer token: pass --token or set JCC_TOKEN (e.g. JCC_TOKEN=$(jcc token --city qingdao --role operator))',
      );
    }
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...options.headers };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    let payload: string | ReadableStream<Uint8Array> | undefined;
    if (options.raw !== undefined) {
      headers['content-type'] = options.raw.contentType;
      payload = options.raw.body;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(options.body);
    }
    const url = `${this.baseUrl}${path}`;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body: payload,
        ...(options.raw ? { duplex: 'half' } : {}),
        ...(timeoutMs > 0 ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
      } as RequestInit);
    } catch (err) {
      throw new CliError(ExitCode.UNAVAILABLE, `cannot reach the gateway at ${this.baseUrl}: ${networkErrorText(err)}`, { url });
    }
    const text = await response.text().catch(() => '');
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    if (!response.ok) {
      throw new CliError(
        exitCodeForHttpStatus(response.status),
        `gateway ${method} ${path}: ${describeHttpError(response.status, response.statusText, body)}`,
        {
          status: response.status,
          problem: body,
        },
      );
    }
    if (body === undefined && text !== '') {
      throw new CliError(ExitCode.UNAVAILABLE, `gateway ${method} ${path}: the answer is not JSON`, { status: response.status });
    }
    return { status: response.status, body: body as T };
  }
}
