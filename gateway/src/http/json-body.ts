import express, { type RequestHandler } from 'express';
import { jsonInputProblem } from '@jcc/domain';

/** JSON input that parses but cannot be accepted (lone surrogate, inexact number, too deep): HTTP 400. */
export class JsonInputError extends Error {
  override readonly name = 'JsonInputError';
}

/** Media types parsed as a JSON body. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/**
 * The JSON body parser of the API routes: at most `limitBytes`, then the
 * domain's input rules ({@link jsonInputProblem}) so that nothing the
 * gateway could not sign exactly reaches a handler. Mounted per route, after
 * the rate limit and authentication, so refused callers cost no parsing.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  return [
    express.json({ limit: limitBytes, type: JSON_MEDIA_TYPES }),
    (req, _res, next) => {
      const problem = req.body === undefined ? undefined : jsonInputProblem(req.body);
      next(problem ? new JsonInputError(problem) : undefined);
    },
  ];
}
