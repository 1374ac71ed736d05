/**
 * Calls to the gateway's REST API from its pages: JSON in, JSON out, and an
 * RFC 9457 problem document turned into an {@link ApiError} that the page can
 * show field by field.
 */

/** One field the gateway refused (`errors` of a problem document). */
export interface FieldError {
  path: string;
  message: string;
}

/** A refused or failed call: the problem document's status, title, detail and field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[] = [],
    readonly code?: string,
  ) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
  }
}

/** What {@link request} sends. */
export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  token?: string | undefined;
  /** Sent as `Idempotency-Key`, so a retried submission is not recorded twice. */
  idempotencyKey?: string;
  accept?: string;
}

/** Calls the gateway and answers the parsed JSON body. @throws ApiError when the answer is not 2xx or the gateway is unreachable. */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, 'unreachable', undefined);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const p = (parsed ?? {}) as { title?: string; detail?: string; errors?: FieldError[]; code?: string };
    throw new ApiError(response.status, p.title ?? response.statusText, p.detail, Array.isArray(p.errors) ? p.errors : [], p.code);
  }
  return parsed as T;
}

/** A fresh idempotency key for one submission of a form. */
export function newIdempotencyKey(): string {
  return `console-${crypto.randomUUID()}`;
}
