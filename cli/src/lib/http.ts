import {
  createGatewayClient,
  GatewayProblemError,
  GatewayUnreachableError,
  isProblemDocument,
  ok,
  type GatewayClient as ApiClient,
} from '@jcc/client';
import { CliError, ExitCode, exitCodeForHttpStatus, usageError } from './exit.js';

/** An RFC 9457 problem document as the gateways send it (from the OpenAPI document). */
export type { ProblemDocument } from '@jcc/client';

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

export { isProblemDocument } from '@jcc/client';

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

/**
 * The CLI's client of one city gateway, over the one gateway client
 * (`@jcc/client`, typed from the gateway's OpenAPI document). Every failure
 * becomes a {@link CliError} with the matching exit code.
 */
export class GatewayClient {
  readonly baseUrl: string;
  /** The typed client; use it with {@link GatewayClient.call}. */
  readonly api: ApiClient;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: GatewayClientOptions) {
    this.baseUrl = normaliseGatewayUrl(options.baseUrl);
    this.#token = options.token || undefined;
    this.#timeoutMs = options.timeoutMs;
    this.#fetch = options.fetchImpl ?? fetch;
    this.api = this.#client(this.#timeoutMs);
  }

  #client(timeoutMs: number): ApiClient {
    const f = this.#fetch;
    return createGatewayClient({ baseUrl: this.baseUrl, token: this.#token, timeoutMs, fetch: (request) => f(request) });
  }

  /** True when a bearer token is configured. */
  get hasToken(): boolean {
    return this.#token !== undefined;
  }

  /** Refuses, as a usage error, to go on without a bearer token. */
  requireToken(): void {
    if (!this.#token) {
      throw usageError(
        'this command needs a bearer token: pass --token or set JCC_TOKEN (e.g. JCC_TOKEN=$(jcc token --city qingdao --role operator))',
      );
    }
  }

  /**
   * The 2xx body of a typed call (`client.call(c => c.GET('/api/v1/reports/{id}', …))`);
   * `auth: 'required'` refuses first when no token is set.
   */
  async call<D>(send: (api: ApiClient) => Promise<{ data?: D; error?: unknown; response: Response }>, auth?: 'required'): Promise<D> {
    if (auth === 'required') this.requireToken();
    try {
      return await ok(send(this.api));
    } catch (err) {
      throw cliErrorOf(err, this.baseUrl);
    }
  }

  /** Sends one request and returns the parsed JSON of a 2xx answer (for paths built at run time). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<GatewayResponse<T>> {
    if (options.auth === 'required') this.requireToken();
    const api = options.timeoutMs === undefined ? this.api : this.#client(options.timeoutMs);
    const init: Record<string, unknown> = { headers: options.headers ?? {} };
    if (options.raw !== undefined) {
      init.body = options.raw.body;
      init.bodySerializer = (b: unknown) => b;
      init.headers = { ...(options.headers ?? {}), 'content-type': options.raw.contentType };
      init.duplex = 'half';
    } else if (options.body !== undefined) init.body = options.body;
    try {
      const { data, response } = (await api.request(method.toLowerCase() as 'get', path as never, init as never)) as {
        data?: unknown;
        response: Response;
      };
      return { status: response.status, body: data as T };
    } catch (err) {
      if (err instanceof SyntaxError)
        throw new CliError(ExitCode.UNAVAILABLE, `gateway ${method} ${path}: the answer is not JSON`, { url: this.baseUrl + path });
      throw cliErrorOf(err, this.baseUrl);
    }
  }
}

/** A failure of the gateway client as the CLI reports it. */
function cliErrorOf(err: unknown, baseUrl: string): unknown {
  if (err instanceof GatewayUnreachableError)
    return new CliError(ExitCode.UNAVAILABLE, `cannot reach the gateway at ${baseUrl}: ${err.reason}`, { url: err.url });
  if (err instanceof GatewayProblemError) {
    const text = describeHttpError(err.status, STATUS_TEXT[err.status] ?? '', err.body);
    return new CliError(exitCodeForHttpStatus(err.status), `gateway ${err.method} ${err.path.split('?')[0]}: ${text}`, {
      status: err.status,
      problem: err.body,
    });
  }
  return err;
}

/** Reason phrases of the statuses the gateways answer (a `Response` built by fetch has them; the client's error keeps the status only). */
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};
