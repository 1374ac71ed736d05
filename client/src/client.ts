import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { GatewayProblemError, GatewayUnreachableError, isProblemDocument } from './errors.js';
import type { paths } from './generated/gateway-api.js';

/** A typed client of one city gateway: openapi-fetch over the gateway's OpenAPI document. */
export type GatewayClient = Client<paths>;

/** How to reach one city gateway. */
export interface GatewayClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8101` (a trailing slash is dropped). */
  baseUrl: string;
  /** Bearer token (JWT, without `Bearer `), sent with every request; none for the public endpoints. */
  token?: string | undefined;
  /** Time limit of one request in milliseconds (0 or absent: none). */
  timeoutMs?: number;
  /** `fetch` to send requests with (retries, tests); defaults to the global one. */
  fetch?: (request: Request) => Promise<Response>;
  /**
   * What a status outside 2xx does: `throw` (default) rejects with a
   * {@link GatewayProblemError}; `return` hands it back as openapi-fetch does
   * (`{error, response}`), for callers that look at error answers themselves.
   */
  errors?: 'throw' | 'return';
}

/** The message of a failed `fetch`, with its cause (e.g. `connect ECONNREFUSED 127.0.0.1:8101`). */
function networkReason(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timed out';
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return err.message;
  }
  return String(err);
}

/** The path and query of a request URL. */
function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/**
 * The client of one gateway: sends the bearer token, asks for JSON or
 * problem+json, applies the time limit, turns a connection failure into a
 * {@link GatewayUnreachableError} and (by default) an error answer into a
 * {@link GatewayProblemError}. Use it as openapi-fetch documents
 * (`client.GET('/api/v1/reports/{id}', {params: {path: {id}}})`), or with
 * {@link ok} to get the 2xx body alone.
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const baseFetch = options.fetch ?? ((request: Request) => fetch(request));
  const timeoutMs = options.timeoutMs ?? 0;
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { accept: 'application/json, application/problem+json' },
    fetch: async (request: Request) => {
      const timed = timeoutMs > 0 ? new Request(request, { signal: AbortSignal.timeout(timeoutMs) }) : request;
      try {
        return await baseFetch(timed);
      } catch (err) {
        throw new GatewayUnreachableError(request.method, request.url, networkReason(err), { cause: err });
      }
    },
  });
  const token = options.token || undefined;
  const middleware: Middleware = {
    onRequest({ request }) {
      if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    async onResponse({ request, response }) {
      if (response.ok || options.errors === 'return') return undefined;
      const text = await response
        .clone()
        .text()
        .catch(() => '');
      let body: unknown = text === '' ? undefined : text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      throw new GatewayProblemError(
        request.method,
        pathOf(request.url),
        response.status,
        isProblemDocument(body) ? body : undefined,
        body,
        response.headers,
      );
    },
  };
  client.use(middleware);
  return client;
}

/** What an openapi-fetch call resolves to (either member). */
interface Answered<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * The 2xx body of a call, for clients that throw on error answers (the
 * default): `const report = await ok(client.GET('/api/v1/reports/{id}', …))`.
 *
 * @throws GatewayProblemError when the call answered outside 2xx (also on a client made with `errors: 'return'`).
 */
export async function ok<D>(pending: Promise<Answered<D>>): Promise<D> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const url = response.url || '';
    throw new GatewayProblemError(
      '',
      url ? pathOf(url) : '',
      response.status,
      isProblemDocument(error) ? error : undefined,
      error,
      response.headers,
    );
  }
  return data as D;
}
