import type { Request, Response } from 'express';
import { HttpProblem } from '../http/problem.js';
import type { Notifications } from './notifications.js';
import type { LoggedNotification } from './types.js';

/** Interval of the keep-alive comment lines (ms). */
export const SSE_KEEPALIVE_MS = 15_000;
/** Notifications read from the log per step of a stream. */
const BATCH = 200;

/**
 * The `Last-Event-ID` of a resuming client: a log position.
 *
 * @throws HttpProblem 400 when it is not one.
 */
export function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d{1,16}$/.test(value.trim()))
    throw new HttpProblem(400, 'invalid-argument', 'Invalid argument', 'Last-Event-ID: an event id of this stream (digits)', {
      code: 'INVALID_ARGUMENT',
    });
  return Number(value.trim());
}

/** One notification as an SSE event (`id`, `event`, `data`; the JSON has no newlines). */
export function formatEvent(n: LoggedNotification): string {
  const { seq, ...notification } = n;
  return `id: ${seq}\nevent: ${n.type}\ndata: ${JSON.stringify(notification)}\n\n`;
}

/**
 * Serves the notification log as a Server-Sent Events stream, from position
 * `after` on: what is logged already is sent first, then each notification as
 * it is logged (the log is the one source, so a resumed stream misses nothing
 * the log still holds). Ends when the client goes or the gateway stops.
 */
export function eventStream(
  n: Notifications,
  req: Request,
  res: Response,
  options: { types: ReadonlySet<string> | undefined; after: number },
): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: 3000\n: stream of notifications after event ${options.after}\n\n`);
  req.socket.setTimeout(0);
  req.socket.setNoDelay(true);
  let position = options.after;
  let pumping = false;
  let again = false;
  let closed = false;
  const pump = async (): Promise<void> => {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        for (;;) {
          if (closed) return;
          const batch = await n.after(position, BATCH);
          for (const item of batch) {
            position = item.seq;
            if (!options.types || options.types.has(item.type)) res.write(formatEvent(item));
          }
          if (batch.length < BATCH) break;
        }
      } while (again && !closed);
    } catch {
      finish();
    } finally {
      pumping = false;
    }
  };
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
  keepAlive.unref();
  const finish = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    stop();
    res.end();
  };
  const stop = n.follow(() => void pump(), finish);
  res.once('close', finish);
  void pump();
}
