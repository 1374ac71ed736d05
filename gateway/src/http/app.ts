import { existsSync } from 'node:fs';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { cityById } from '@jcc/domain';
import { agencyRoutes } from '../agencies/routes.js';
import { auditRoutes } from '../audit/routes.js';
import type { TokenVerifier } from '../auth/tokens.js';
import { cityRoutes } from '../cities/routes.js';
import { evaluationRoutes } from '../evaluations/routes.js';
import { healthRouter } from '../health/routes.js';
import { issueRoutes } from '../issue/routes.js';
import { listEntryRoutes } from '../list-entries/routes.js';
import { recognitionRoutes } from '../recognition/routes.js';
import type { Services } from '../services.js';
import { subjectRoutes } from '../subjects/routes.js';
import { verifyRoutes } from '../verify/routes.js';
import { requestLogger } from './logging.js';
import { IdempotencyCache } from './idempotency.js';
import { buildOpenApi } from './openapi.js';
import { HttpProblem, toProblem } from './problem.js';
import { route, type AnyRoute } from './route.js';
import { mountRoutes } from './router.js';

/** Every API route of a gateway (the OpenAPI document is generated from this list). */
export function apiRoutes(s: Services): AnyRoute[] {
  const routes = [
    ...issueRoutes(s),
    ...verifyRoutes(s),
    ...evaluationRoutes(s),
    ...listEntryRoutes(s),
    ...agencyRoutes(s),
    ...recognitionRoutes(s),
    ...subjectRoutes(s),
    ...auditRoutes(s),
    ...cityRoutes(s),
  ];
  let openapi: Record<string, unknown> | undefined;
  routes.push(
    route({
      method: 'get',
      path: '/api/v1/openapi.json',
      operationId: 'openapi',
      summary: 'This OpenAPI document',
      tags: ['meta'],
      access: 'public',
      responses: { 200: { description: 'OpenAPI 3.1' } },
      async handler() {
        openapi ??= buildOpenApi(routes, {
          title: `Jiaodong Credit Chain gateway — ${cityById(s.city).name} (${cityById(s.city).nameZh})`,
          version: '1.0.0',
          description:
            'City gateway of the Jiaodong Credit Chain (胶东半岛信用链): issue, anchor, verify and recognise credit documents across the five cities.',
          serverUrl: s.config.publicUrl,
        });
        return { status: 200, body: openapi };
      },
    }),
  );
  return routes;
}

/** The RFC 9457 error handler: every error becomes problem+json, without internals. */
export function problemHandler(s: Pick<Services, 'log'>) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { problem, headers, internal } = toProblem(err);
    if (internal)
      s.log.error(
        { route: req.routePath, err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) },
        'request failed',
      );
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify({ ...problem, instance: req.originalUrl.split('?')[0] }));
  };
}

/** How long answers to requests with an `Idempotency-Key` are kept. */
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** The Express application of a gateway. */
export function createApp(s: Services, tokens: TokenVerifier, idempotency: IdempotencyCache = new IdempotencyCache(s.store)): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLogger(s.log, s.metrics));
  app.use(helmet({ crossOriginResourcePolicy: { policy: 'same-site' } }));
  app.use(healthRouter(s));
  app.use('/api', express.json({ limit: s.config.jsonLimitBytes, type: ['application/json', 'application/*+json'] }));
  const limit = s.config.verify.rateLimitPerMinute;
  const limiter =
    limit > 0
      ? rateLimit({
          windowMs: 60_000,
          limit,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          handler: (_req, _res, next) =>
            next(
              new HttpProblem(
                429,
                'rate-limited',
                'Too many requests',
                `at most ${limit} requests a minute on the public endpoints`,
                {},
                { 'Retry-After': '60' },
              ),
            ),
        })
      : undefined;
  app.use(
    mountRoutes(apiRoutes(s), {
      city: s.city,
      tokens,
      idempotency,
      ...(limiter ? { rateLimit: limiter } : {}),
    }),
  );
  app.use('/api', (req, _res, next) => next(new HttpProblem(404, 'not-found', 'Not found', `no endpoint ${req.method} ${req.path}`)));
  if (existsSync(s.config.publicDir)) app.use(express.static(s.config.publicDir, { index: 'index.html', fallthrough: true }));
  app.use((req, _res, next) => next(new HttpProblem(404, 'not-found', 'Not found', `nothing at ${req.path}`)));
  app.use(problemHandler(s));
  return app;
}
