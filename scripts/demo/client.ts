/**
 * A small HTTP client of one city gateway's REST API, as the demo loader uses
 * it: bearer token, JSON bodies, `Idempotency-Key`, RFC 9457 problems turned
 * into {@link GatewayError}, and retries where the API says to retry (503 and
 * 429 with `Retry-After`, a gateway that is not listening yet). A write naming
 * a record another city just wrote needs no retry: the gateway waits for its
 * peer to catch up (docs/consistency.md).
 *
 * @packageDocumentation
 */

/** A non-2xx answer of a gateway, with its problem document. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** The chaincode's or gateway's stable code (`NOT_FOUND`, `INVALID_STATE`, …), when the problem has one. */
    readonly code: string | undefined,
    readonly detail: string,
  ) {
    super(`${method} ${path}: ${status}${code ? ` ${code}` : ''} ${detail}`);
  }
}

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

/** The client of one gateway, acting under one token. */
export class GatewayClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #retryForMs: number;

  constructor(options: GatewayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#retryForMs = options.retryForMs ?? 90_000;
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
      if (err instanceof GatewayError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Sends a request; retries on 503, 429 and connection failures until `retryForMs` has passed. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
    const deadline = Date.now() + this.#retryForMs;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.#token) headers.Authorization = `Bearer ${this.#token}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(this.baseUrl + path, {
          method,
          headers,
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`${method} ${this.baseUrl}${path}: ${(err as Error).message}`);
        await sleep(Math.min(500 * attempt, 3000));
        continue;
      }
      const text = await res.text();
      const body = text === '' ? undefined : parseJson(text);
      if (res.ok) return { status: res.status, body: body as T, replayed: res.headers.get('Idempotent-Replayed') === 'true' };
      if ((res.status === 503 || res.status === 429) && Date.now() < deadline) {
        const after = Number(res.headers.get('Retry-After'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 10_000) : Math.min(500 * attempt, 3000));
        continue;
      }
      const problem = (body ?? {}) as { detail?: string; title?: string; code?: string; errors?: Array<{ path: string; message: string }> };
      const fields = problem.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
      throw new GatewayError(
        method,
        path,
        res.status,
        problem.code,
        [problem.detail ?? problem.title ?? text, fields].filter(Boolean).join(' — '),
      );
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
