/**
 * The demo loader's use of the one gateway client (`@jcc/client`): bearer
 * token, JSON bodies, `Idempotency-Key`, problems as {@link GatewayProblemError},
 * and retries where the API says to retry (503 and 429 with `Retry-After`, a
 * gateway that is not listening yet), done in the `fetch` the client sends
 * with. A write naming a record another city just wrote needs no retry: the
 * gateway waits for its peer to catch up (docs/consistency.md).
 *
 * @packageDocumentation
 */
import { createGatewayClient, GatewayProblemError, GatewayUnreachableError, type GatewayClient as ApiClient } from '@jcc/client';

/** A non-2xx answer of a gateway, with its problem document (the client's one error type). */
export { GatewayProblemError as GatewayError };

/** An answer of the gateway. */
export interface Answer<T> {
  status: number;
  body: T;
  /** True when the gateway replayed a stored answer for the `Idempotency-Key`. */
  replayed: boolean;
}

/** Options of one request. */
export interface RequestOptions {
  body?: unknown;
  idempotencyKey?: string;
}

/** What a {@link GatewayClient} needs. */
export interface GatewayClientOptions {
  /** Base URL, e.g. `http://127.0.0.1:8101`. */
  baseUrl: string;
  /** Bearer token (without `Bearer `); none for the public endpoints. */
  token?: string;
  /** Longest time to keep retrying one request (default 90 s). */
  retryForMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A `fetch` that retries on 503, 429 and connection failures until `retryForMs` has passed. */
function retryingFetch(retryForMs: number): (request: Request) => Promise<Response> {
  return async (request) => {
    const deadline = Date.now() + retryForMs;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(request.clone(), { signal: AbortSignal.timeout(60_000) });
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(Math.min(500 * attempt, 3000));
        continue;
      }
      if ((res.status === 503 || res.status === 429) && Date.now() < deadline) {
        const after = Number(res.headers.get('Retry-After'));
        await res.body?.cancel();
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 10_000) : Math.min(500 * attempt, 3000));
        continue;
      }
      return res;
    }
  };
}

/**
 * The client of one gateway, acting under one token. `api` is the typed
 * client; `get`/`post`/`find` take a concrete path (the demo data names
 * records by id) and answer the body as the caller reads it.
 */
export class GatewayClient {
  readonly baseUrl: string;
  /** The typed client of the gateway API. */
  readonly api: ApiClient;

  constructor(options: GatewayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.api = createGatewayClient({
      baseUrl: this.baseUrl,
      ...(options.token ? { token: options.token } : {}),
      fetch: retryingFetch(options.retryForMs ?? 90_000),
    });
  }

  /** `GET path`. */
  get<T>(path: string): Promise<Answer<T>> {
    return this.request<T>('GET', path);
  }

  /** `POST path` with a JSON body. */
  post<T>(path: string, body: unknown, idempotencyKey?: string): Promise<Answer<T>> {
    return this.request<T>('POST', path, { body, ...(idempotencyKey ? { idempotencyKey } : {}) });
  }

  /** `GET path`, or `undefined` when the gateway answers 404. */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      return (await this.get<T>(path)).body;
    } catch (err) {
      if (err instanceof GatewayProblemError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Sends a request through the typed client (retrying as {@link retryingFetch} says). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    try {
      const { data, response } = (await this.api.request(
        method.toLowerCase() as 'get',
        path as never,
        {
          ...(options.body !== undefined ? { body: options.body } : {}),
          ...(options.idempotencyKey ? { headers: { 'Idempotency-Key': options.idempotencyKey } } : {}),
        } as never,
      )) as { data?: unknown; response: Response };
      return { status: response.status, body: data as T, replayed: response.headers.get('Idempotent-Replayed') === 'true' };
    } catch (err) {
      if (err instanceof GatewayUnreachableError) throw new Error(`${method} ${this.baseUrl}${path}: ${err.reason}`, { cause: err });
      throw err;
    }
  }
}
