/**
 * A small HTTP client for the benchmark: keep-alive connections, bodies as
 * strings, buffers or streams, no retries (a failed request is counted by the
 * caller, never hidden).
 */
import http from 'node:http';
import type { Readable } from 'node:stream';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });

/** An HTTP answer. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Options of {@link send}. */
export interface SendOptions {
  method?: string;
  token?: string;
  /** A JSON value (sent as application/json), unless `raw` is given. */
  json?: unknown;
  /** A body sent as is, with `contentType`. */
  raw?: string | Buffer | Readable;
  contentType?: string;
  headers?: Record<string, string>;
  /** Abort after this long (ms); 0 = never. Default 60 s. */
  timeoutMs?: number;
  /** Send from this local address (a loopback address of its own: a client of its own to rate limits); no keep-alive then. */
  localAddress?: string;
}

/** Sends one request and reads the whole answer. */
export function send(url: string, options: SendOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | Buffer | Readable | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));
  else if (Buffer.isBuffer(body)) headers['content-length'] = String(body.length);
  return new Promise<Reply>((resolve, reject) => {
    const method = options.method ?? (body === undefined ? 'GET' : 'POST');
    const how = options.localAddress ? { method, headers, localAddress: options.localAddress } : { method, headers, agent };
    const req = http.request(url, how, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const timeoutMs = options.timeoutMs ?? 60_000;
    if (timeoutMs > 0) req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (err) => req.destroy(err));
      body.pipe(req);
    }
  });
}

/** Sends a request and parses a JSON answer; throws on a non-2xx status, naming it and the problem detail. */
export async function sendJson<T>(url: string, options: SendOptions = {}): Promise<T> {
  const reply = await send(url, options);
  if (reply.status < 200 || reply.status >= 300) {
    throw new Error(
      `${options.method ?? (options.json === undefined && options.raw === undefined ? 'GET' : 'POST')} ${url}: ${reply.status} ${reply.text.slice(0, 300)}`,
    );
  }
  return JSON.parse(reply.text) as T;
}

/** Closes idle keep-alive connections (at the end of a run). */
export function closeConnections(): void {
  agent.destroy();
}
