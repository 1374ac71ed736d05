import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import { PROBLEM_BASE } from './problem.js';

/** Time and connection limits of a gateway's HTTP server (issue 11 §2, finding 2). */
export interface ServerLimits {
  /** All request headers must arrive within this time (ms). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must arrive within this time (ms); long enough for bulk uploads. */
  requestTimeoutMs: number;
  /** A request body that sends nothing for this long is abandoned and its connection closed (ms). */
  bodyIdleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time (ms). */
  keepAliveTimeoutMs: number;
  /** Most connections open at once from one client address; more are closed at once. */
  maxConnectionsPerClient: number;
}

/** The limits a gateway runs with unless told otherwise. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 600_000,
  bodyIdleTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnectionsPerClient: 128,
};

/** A complete HTTP/1.1 problem+json answer, written straight to a socket that Express never saw. */
function rawProblem(status: number, reason: string, slug: string, detail: string): string {
  const body = JSON.stringify({ type: PROBLEM_BASE + slug, title: reason, status, detail });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/**
 * Closes the connection of a request whose body stalls: while the body is
 * still arriving, the socket may stay silent at most `idleMs`. Once the body
 * is complete (or the answer sent), the limit is lifted, so a handler may
 * take its time.
 */
function guardBody(req: IncomingMessage, res: ServerResponse, idleMs: number): void {
  if (req.complete) return;
  const socket = req.socket;
  const onTimeout = (): void => {
    socket.destroy();
  };
  let cleared = false;
  const clear = (): void => {
    if (cleared) return;
    cleared = true;
    socket.setTimeout(0);
    socket.removeListener('timeout', onTimeout);
  };
  socket.setTimeout(idleMs);
  socket.on('timeout', onTimeout);
  req.once('end', clear);
  res.once('finish', clear);
  res.once('close', clear);
}

/**
 * The HTTP server of a gateway: header, request and body-idle timeouts,
 * keep-alive timeout, a cap on connections per client address, and a
 * problem+json answer to malformed HTTP.
 */
export function createGatewayServer(app: Express, limits: ServerLimits = DEFAULT_SERVER_LIMITS): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often the header and request timeouts are checked.
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(limits.headersTimeoutMs / 2))),
    },
    (req, res) => {
      guardBody(req, res, limits.bodyIdleTimeoutMs);
      app(req, res);
    },
  );
  const perClient = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? '?';
    const open = (perClient.get(client) ?? 0) + 1;
    if (open > limits.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    perClient.set(client, open);
    socket.once('close', () => {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left <= 0) perClient.delete(client);
      else perClient.set(client, left);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.end(
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? rawProblem(408, 'Request Timeout', 'request-timeout', 'the request did not arrive in time')
        : rawProblem(400, 'Bad Request', 'bad-request', 'the request is not valid HTTP/1.1'),
    );
  });
  return server;
}
