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

/**
 * Logs one line per request (method, route template, status, duration,
 * request id, caller's role and city; never the body or the query) and feeds
 * the duration histogram.
 */
export function requestLogger(log: Logger, metrics: GatewayMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    const incoming = req.get('X-Request-Id');
    const id = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = req.routePath ?? (res.statusCode === 404 ? 'unmatched' : req.path.startsWith('/api/') ? 'unmatched' : 'static');
      metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if ((route === 'static' && res.statusCode < 400) || route === '/readyz' || route === '/healthz' || route === '/metrics') return;
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
