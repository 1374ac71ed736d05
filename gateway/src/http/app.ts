import { existsSync } from 'node:fs';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { cityById, type CityId } from '@jcc/domain';
import { accessLogRoutes } from '../access-log/routes.js';
import { agencyRoutes } from '../agencies/routes.js';
import { auditRoutes } from '../audit/routes.js';
import type { TokenVerifier } from '../auth/tokens.js';
import { cityRoutes } from '../cities/routes.js';
import { evaluationRoutes } from '../evaluations/routes.js';
import { healthRouter } from '../health/routes.js';
import { issueRoutes } from '../issue/routes.js';
import { listEntryRoutes } from '../list-entries/routes.js';
import { notificationRoutes } from '../notifications/routes.js';
import { recognitionRoutes } from '../recognition/routes.js';
import type { Services } from '../services.js';
import { statisticsRoutes } from '../statistics/routes.js';
import { subjectRoutes } from '../subjects/routes.js';
import { verifyRoutes } from '../verify/routes.js';
import { requestLogger, routeLabeller } from './logging.js';
import { IdempotencyCache } from './idempotency.js';
import { buildOpenApi } from './openapi.js';
import { HttpProblem, PROBLEM_BASE, toProblem, type ProblemDocument } from './problem.js';
import { expressPath, route, type AnyRoute } from './route.js';
import { ResponseCheck } from './response-check.js';
import { mountRoutes, routeChain, type MountOptions } from './router.js';

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
    ...notificationRoutes(s),
    ...statisticsRoutes(s),
    ...accessLogRoutes(s),
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
        openapi ??= gatewayOpenApi(routes, s.city, s.config.publicUrl);
        return { status: 200, body: openapi };
      },
    }),
  );
  return routes;
}

/** The OpenAPI document a gateway of `city` serves for `routes` (see {@link apiRoutes}). */
export function gatewayOpenApi(routes: readonly AnyRoute[], city: CityId, publicUrl: string): Record<string, unknown> {
  return buildOpenApi(routes, {
    title: `Jiaodong Credit Chain gateway — ${cityById(city).name} (${cityById(city).nameZh})`,
    version: '1.0.0',
    description:
      'City gateway of the Jiaodong Credit Chain (胶东半岛信用链): issue, anchor, verify and recognise credit documents across the five cities.',
    serverUrl: publicUrl,
  });
}

/** What is sent when even the problem answer cannot be written: a fixed 500 problem document. */
export const LAST_RESORT_PROBLEM = JSON.stringify({
  type: `${PROBLEM_BASE}internal`,
  title: 'Internal error',
  status: 500,
  detail: 'the gateway failed to handle the request',
});

/** Writes {@link LAST_RESORT_PROBLEM}, dropping whatever headers were set; destroys the connection if even that fails. */
function answerLastResort(res: Response): void {
  try {
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.statusCode = 500;
    res.setHeader('Content-Type', 'application/problem+json');
    res.setHeader('Content-Length', Buffer.byteLength(LAST_RESORT_PROBLEM));
    res.end(LAST_RESORT_PROBLEM);
  } catch {
    res.destroy();
  }
}

/**
 * The RFC 9457 error handler, last in the chain: every error, whether from
 * a route, a body parser or any middleware before routing, becomes
 * problem+json without internals. When the answer itself cannot be written
 * (a header value refused), a fixed 500 problem is sent instead, so a client
 * never sees Express's HTML error page.
 */
export function problemHandler(s: Pick<Services, 'log'>, routeLabel: (req: Request, res: Response) => string) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    let answer: ReturnType<typeof toProblem>;
    try {
      answer = toProblem(err);
    } catch {
      answer = { problem: JSON.parse(LAST_RESORT_PROBLEM) as ProblemDocument, headers: {}, internal: true };
    }
    const { problem, headers, internal } = answer;
    if (internal)
      s.log.error(
        {
          route: routeLabel(req, res),
          err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
        },
        'request failed',
      );
    if (res.headersSent) {
      res.destroy();
      return;
    }
    try {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res
        .status(problem.status)
        .type('application/problem+json')
        .send(JSON.stringify({ ...problem, instance: req.originalUrl.split('?')[0] }));
    } catch (sendErr) {
      s.log.error({ route: routeLabel(req, res), err: (sendErr as Error).message }, 'problem answer failed');
      answerLastResort(res);
    }
  };
}

/** The routes of the health router (`/healthz`, `/readyz`, `/metrics`), as labelled in logs and metrics. */
export const HEALTH_ROUTES = ['/healthz', '/readyz', '/metrics'];

/** How long answers to requests with an `Idempotency-Key` are kept. */
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** The Express application of a gateway. */
export function createApp(s: Services, tokens: TokenVerifier, idempotency: IdempotencyCache = new IdempotencyCache(s.store)): Express {
  const app = express();
  // Production error handling always (no stack traces from Express's own handler).
  app.set('env', 'production');
  app.disable('x-powered-by');
  app.set('etag', false);
  const routes = apiRoutes(s);
  const routeLabel = routeLabeller([...HEALTH_ROUTES, ...routes.map((r) => r.path)]);
  const logRequest = requestLogger(s.log, s.metrics, routeLabel);
  const securityHeaders = helmet({ crossOriginResourcePolicy: { policy: 'same-site' } });
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
  const mount: MountOptions = {
    city: s.city,
    tokens,
    idempotency,
    jsonLimitBytes: s.config.jsonLimitBytes,
    ...(s.config.checkResponses ? { responseCheck: new ResponseCheck() } : {}),
    ...(limiter ? { rateLimit: limiter } : {}),
  };
  // A route declared `lean` (POST /api/v1/verify) comes first, with the request log and security headers and its own
  // chain: matched before the health router and the route table, the rest of the application never sees it.
  for (const r of routes) if (r.lean) app[r.method](expressPath(r.path), logRequest, securityHeaders, ...routeChain(r, mount));
  app.use(logRequest);
  app.use(securityHeaders);
  app.use(healthRouter(s));
  app.use(mountRoutes(routes, mount));
  app.use('/api', (req, _res, next) => next(new HttpProblem(404, 'not-found', 'Not found', `no endpoint ${req.method} ${req.path}`)));
  if (existsSync(s.config.publicDir)) app.use(express.static(s.config.publicDir, { index: 'index.html', fallthrough: true }));
  app.use((req, _res, next) => next(new HttpProblem(404, 'not-found', 'Not found', `nothing at ${req.path}`)));
  const problems = problemHandler(s, routeLabel);
  app.use(problems);
  return app;
}
