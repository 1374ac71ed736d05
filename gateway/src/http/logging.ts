import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import pino, { type Logger } from 'pino';
import type { GatewayMetrics } from './metrics.js';

/**
 * Paths pino removes from every log line: tokens, documents and anything that
 * can hold a personal identifier. Request bodies are never logged anyway.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  'jws',
  'subject',
  'uscc',
  'idNumber',
  '*.subject',
  '*.uscc',
  '*.idNumber',
  '*.jws',
  '*.token',
  'body',
  '*.body',
];

/** The gateway's logger: JSON lines on stdout, identifiers redacted. */
export function createLogger(city: string, level: string): Logger {
  return pino({
    level,
    base: { city, pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** The label of requests that matched no route (one label for all, whatever their path). */
export const UNMATCHED_ROUTE = 'unmatched';
/** The label of static files of the web page that were served. */
export const STATIC_ROUTE = 'static';

/**
 * Names the route of a request for logs and metrics: its route template
 * when it matched one of `templates`, else {@link STATIC_ROUTE} for a static
 * file served, else {@link UNMATCHED_ROUTE}. Never the raw path, which may
 * hold an identifier and would make a new metrics series per URL.
 */
export function routeLabeller(templates: Iterable<string>): (req: Request, res: Response) => string {
  const known = new Set(templates);
  return (req, res) => {
    if (req.routePath !== undefined && known.has(req.routePath)) return req.routePath;
    if (!req.path.startsWith('/api/') && res.statusCode < 400 && req.method === 'GET') return STATIC_ROUTE;
    return UNMATCHED_ROUTE;
  };
}

/**
 * Logs one line per request (method, route template, status, duration,
 * request id, caller's role and city; never the path, the body or the query)
 * and feeds the duration histogram, labelled by `label` (see {@link routeLabeller}).
 */
export function requestLogger(log: Logger, metrics: GatewayMetrics, label: (req: Request, res: Response) => string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    const incoming = req.get('X-Request-Id');
    const id = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = label(req, res);
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (route === STATIC_ROUTE || route === '/readyz' || route === '/healthz' || route === '/metrics') return;
      const line = {
        reqId: id,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1000 * 10) / 10,
        role: req.principal?.role,
        from: req.principal?.city,
      };
      if (res.statusCode >= 500) log.error(line, 'request');
      else if (res.statusCode >= 400) log.info(line, 'request');
      else log.debug(line, 'request');
    });
    next();
  };
}
