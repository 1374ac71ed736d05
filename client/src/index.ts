/**
 * `@jcc/client`: the one HTTP client of the gateway API (CLI, demo loader,
 * gateway-to-gateway calls, tests). Its types are generated from the
 * gateway's own OpenAPI document (`npm run client:generate`); nothing here
 * declares a request or answer shape by hand.
 *
 * @packageDocumentation
 */
export { createGatewayClient, ok, type GatewayClient, type GatewayClientOptions } from './client.js';
export { GatewayProblemError, GatewayUnreachableError, describeProblem, isProblemDocument, type ProblemDocument } from './errors.js';
export type { components, operations, paths } from './generated/gateway-api.js';

import type { components, operations } from './generated/gateway-api.js';

/** The JSON body a 2xx answer of `operation` carries (`Answer<'verifyDocument'>`). */
export type Answer<Op extends keyof operations, Status extends number = 200 | 201 | 202> = operations[Op]['responses'] extends infer R
  ? R extends Record<number, unknown>
    ? { [S in Status & keyof R]: R[S] extends { content: { 'application/json': infer B } } ? B : never }[Status & keyof R]
    : never
  : never;

/** The JSON body `operation` takes (`RequestBody<'issueReport'>`). */
export type RequestBody<Op extends keyof operations> = operations[Op] extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : never;

/** The problem schema of the OpenAPI document. */
export type Problem = components['schemas']['Problem'];
