import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { hostOf, type ReceiverGuard } from './receiver-guard.js';

/** The outcome of one delivery attempt. */
export interface AttemptOutcome {
  ok: boolean;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why the attempt failed (no answer, or a status outside 2xx). */
  error?: string;
}

/** Sends one signed delivery (the worker's only way out; unit tests pass a fake). */
export type WebhookTransport = (
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; signal: AbortSignal },
) => Promise<AttemptOutcome>;

/** Most bytes of a receiver's answer read (the rest is discarded). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The HTTP transport: a POST of the JSON body with the signed headers,
 * through the guard's `lookup` (so every connection is to an allowed
 * address). A 2xx answer is success; anything else, a redirect included
 * (never followed), is a failure to retry.
 */
export function httpTransport(guard: ReceiverGuard, userAgent: string): WebhookTransport {
  return (target, headers, body, { timeoutMs, signal }) =>
    new Promise<AttemptOutcome>((resolve) => {
      let url: URL;
      try {
        url = guard.parse(target);
      } catch (err) {
        resolve({ ok: false, error: (err as Error).message });
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const host = hostOf(url);
      const req = send(
        url,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': userAgent,
          },
          timeout: timeoutMs,
          signal,
          ...(isIP(host) === 0 ? { lookup: guard.lookup } : {}),
        },
        (res) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          const status = res.statusCode ?? 0;
          const done = (): void =>
            resolve(
              status >= 200 && status < 300
                ? { ok: true, status }
                : {
                    ok: false,
                    status,
                    error:
                      status >= 300 && status < 400
                        ? `the receiver answered ${status} (a redirect, which is not followed)`
                        : `the receiver answered ${status}`,
                  },
            );
          res.once('end', done);
          res.once('close', done);
          res.once('error', done);
        },
      );
      req.once('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.once('error', (err) => resolve({ ok: false, error: (err as Error).message }));
      req.end(body);
    });
}
