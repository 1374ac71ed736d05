import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { CityId } from '@jcc/domain';
import { UnauthenticatedError } from '../auth/errors.js';
import { authorize } from '../auth/policy.js';
import type { Principal } from '../auth/roles.js';
import type { TokenVerifier } from '../auth/tokens.js';
import { IDEMPOTENCY_KEY_PATTERN, IdempotencyCache } from './idempotency.js';
import { jsonBody } from './json-body.js';
import { HttpProblem } from './problem.js';
import type { ResponseCheck } from './response-check.js';
import { expressPath, type AnyRoute, type RouteResult } from './route.js';

/** What {@link mountRoutes} needs. */
export interface MountOptions {
  city: CityId;
  tokens: TokenVerifier;
  idempotency: IdempotencyCache;
  /** Middleware for rate-limited routes. */
  rateLimit?: RequestHandler;
  /** Largest JSON body accepted (bytes). */
  jsonLimitBytes: number;
  /** Checks 2xx answers against their declared schemas (tests); absent in production. */
  responseCheck?: ResponseCheck;
  /** Called with each request's route and principal (for logs and metrics). */
  onRoute?(req: Request, route: AnyRoute, principal: Principal | undefined): void;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The route template matched (for logs and metrics). */
    routePath?: string;
    principal?: Principal;
  }
}

/** The bearer token of a request, or `undefined` when it sends none. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('the Authorization header is not "Bearer <token>"');
  return match[1];
}

/** Writes a handler's result: headers, then the status with the JSON body (or JSON text, or none). */
function answer(res: Response, result: RouteResult): void {
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  res.status(result.status);
  if (result.json !== undefined) {
    // The headers and bytes res.json sends for the value the text is of, written directly.
    if (res.getHeader('Content-Type') === undefined) res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(result.json));
    res.end(result.json);
  } else if (result.body === undefined) res.end();
  else res.json(result.body);
}

/**
 * The middleware chain of one route: rate limit (public routes that ask for
 * it), authentication and authorisation, only then the JSON body parser (so a
 * refused caller costs no parsing), validation of path, query and body with
 * the route's schemas, idempotency, then the handler. The same chain serves
 * the route in the general router ({@link mountRoutes}) and, for a route
 * declared `lean`, at the front of the application (see `createApp`).
 */
export function routeChain(r: AnyRoute, options: MountOptions): RequestHandler[] {
  const chain: RequestHandler[] = [];
  chain.push((req, _res, next) => {
    req.routePath = r.path;
    next();
  });
  if (r.rateLimited && options.rateLimit) chain.push(options.rateLimit);
  const access = r.access;
  if (access !== 'public') {
    chain.push(async (req: Request, _res: Response, next) => {
      const token = bearerToken(req);
      if (!token) throw new UnauthenticatedError('this endpoint needs a bearer token');
      const principal = await options.tokens.verify(token);
      authorize(principal, options.city, access);
      req.principal = principal;
      next();
    });
  }
  const jsonRoute = r.body !== undefined && (r.bodyMediaType ?? 'application/json') === 'application/json';
  if (jsonRoute) chain.push(...jsonBody(options.jsonLimitBytes));
  chain.push(async (req: Request, res: Response) => {
    const principal = req.principal;
    options.onRoute?.(req, r, principal);
    const params = r.params ? r.params.parse(req.params) : {};
    const query = r.query ? r.query.parse(req.query) : {};
    let body: unknown;
    if (jsonRoute) {
      if (!req.is('application/json'))
        throw new HttpProblem(415, 'unsupported-media-type', 'Unsupported media type', 'send the body as application/json');
      body = r.body.parse(req.body);
    }
    let idempotencyKey: string | undefined;
    const rawKey = req.get('Idempotency-Key');
    if (r.idempotency && rawKey !== undefined) {
      if (!IDEMPOTENCY_KEY_PATTERN.test(rawKey))
        throw new HttpProblem(400, 'invalid-request', 'Invalid request', 'Idempotency-Key must be 1-128 visible ASCII characters');
      idempotencyKey = rawKey;
    }
    const ctx = { req, res, body, query, params, principal, idempotencyKey };
    if (r.idempotency === 'cache' && idempotencyKey) {
      const scope = `${principal?.city ?? '-'}|${principal?.subject ?? '-'}|${r.operationId}`;
      const replay = await options.idempotency.run(
        scope,
        idempotencyKey,
        IdempotencyCache.fingerprint(req.method, req.path, req.body),
        async () => {
          const result = await r.handler(ctx);
          if (!result) throw new Error(`route ${r.operationId} must answer with a result to support idempotency`);
          return { status: result.status, body: result.json !== undefined ? (JSON.parse(result.json) as unknown) : result.body };
        },
      );
      options.responseCheck?.check(r, replay.status, replay.body);
      if (replay.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(replay.status).json(replay.body);
      return;
    }
    const result = await r.handler(ctx);
    if (!result) return; // the handler answered itself
    options.responseCheck?.check(r, result.status, result.json !== undefined ? (JSON.parse(result.json) as unknown) : result.body);
    answer(res, result);
  });
  return chain;
}

/** Mounts the routes on a router, each with its {@link routeChain} (a `lean` route is mounted where it is served, see `createApp`). */
export function mountRoutes(routes: readonly AnyRoute[], options: MountOptions): Router {
  const router = express.Router();
  for (const r of routes) if (!r.lean) router[r.method](expressPath(r.path), ...routeChain(r, options));
  return router;
}
