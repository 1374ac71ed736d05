import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Principal, Role } from '../auth/roles.js';

/** Who may call a route: anyone, or bearers of these roles. */
export type Access = 'public' | readonly Role[];

/** One documented response of a route. */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default `application/json`. */
  mediaType?: string;
}

/** What a handler gets: the parsed request and who sent it. */
export interface RouteContext<B, Q, P> {
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
  principal: Principal | undefined;
  /** The `Idempotency-Key` header, when the route supports it and the client sent one. */
  idempotencyKey: string | undefined;
}

/** What a handler answers; `undefined` when it wrote the response itself. */
export interface RouteResult {
  status: number;
  body?: unknown;
  /**
   * The body already serialised as JSON text (instead of `body`): sent as
   * is, as `application/json`, byte for byte what `JSON.stringify` of the
   * value gave (e.g. a verdict a verification worker serialised).
   */
  json?: string;
  headers?: Record<string, string>;
}

/**
 * A route: its OpenAPI description and its handler. Requests are validated
 * with the same zod schemas the OpenAPI document is generated from, so the
 * document states exactly what the server accepts.
 */
export interface RouteSpec<
  BS extends z.ZodType | undefined = z.ZodType | undefined,
  QS extends z.ZodType | undefined = undefined,
  PS extends z.ZodType | undefined = undefined,
> {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI path, e.g. `/api/v1/reports/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Media type of the body: JSON (default) or NDJSON (the handler reads the stream). */
  bodyMediaType?: 'application/json' | 'application/x-ndjson';
  /** Bodyless JSON schema to document for a streamed body (NDJSON lines). */
  streamItem?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  /**
   * `Idempotency-Key` support: `cache` replays the stored answer of an
   * earlier request with the same key; `self` leaves it to the handler
   * (which makes the replay atomic with its own writes).
   */
  idempotency?: 'cache' | 'self';
  /** Subject to the public rate limit. */
  rateLimited?: boolean;
  /**
   * Mounted first in the application (`createApp`): matched before the
   * general middleware chain (health router, route table walk), it runs the
   * request log and security headers, then the same chain this declaration
   * gives everywhere — rate limit, access, body limit and parser, validation,
   * problem+json answers. For hot routes (`POST /api/v1/verify`).
   */
  lean?: boolean;
  handler(
    ctx: RouteContext<
      BS extends z.ZodType ? z.output<BS> : undefined,
      QS extends z.ZodType ? z.output<QS> : Record<string, never>,
      PS extends z.ZodType ? z.output<PS> : Record<string, never>
    >,
  ): Promise<RouteResult | undefined>;
}

/** Any route (erases the schema types for collections). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

/** Declares a route with its schema types inferred. */
export function route<
  BS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
  PS extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<BS, QS, PS>): AnyRoute {
  return spec as AnyRoute;
}

/** `/api/v1/reports/{id}` → `/api/v1/reports/:id`. */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}
