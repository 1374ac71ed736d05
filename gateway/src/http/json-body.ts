import express, { type Request, type RequestHandler } from 'express';
import { jsonInputProblem } from '@jcc/domain';

/** JSON input that parses but cannot be accepted (lone surrogate, inexact number, too deep): HTTP 400. */
export class JsonInputError extends Error {
  override readonly name = 'JsonInputError';
}

/**
 * A body that could not be read or parsed, shaped as the body parser's own
 * errors (`status`, `expose`, `type`), so that {@link toProblem} answers it
 * exactly as it answers theirs.
 */
export class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
  readonly expose = true;

  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** Media types parsed as a JSON body. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/** The Content-Type values the direct reader takes: plain JSON, UTF-8 or no charset. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

/**
 * The body of the common request read directly (`application/json` in UTF-8,
 * identity encoding, a Content-Length within the limit, nothing read yet);
 * `false` when the request is not such a one, for the body parser to read.
 * What it does is what the body parser does for that request: a byte order
 * mark is dropped, an empty body is `{}`, a body that is not a JSON object or
 * array, or not JSON, is `entity.parse.failed`, a body shorter or longer than
 * its Content-Length is `request.size.invalid`.
 */
function readPlainJson(req: Request, limitBytes: number, done: (err?: unknown) => void): boolean {
  const h = req.headers;
  const type = h['content-type'];
  const lengthHeader = h['content-length'];
  if (type === undefined || lengthHeader === undefined || h['transfer-encoding'] !== undefined) return false;
  if (h['content-encoding'] !== undefined && h['content-encoding'].toLowerCase() !== 'identity') return false;
  if (!PLAIN_JSON.test(type) || !/^\d{1,15}$/.test(lengthHeader) || req.readableEnded) return false;
  const length = Number(lengthHeader);
  if (length > limitBytes) return false;
  if (length === 0) {
    req.body = {};
    done();
    return true;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let finished = false;
  const finish = (err?: unknown): void => {
    if (finished) return;
    finished = true;
    req.removeListener('data', onData);
    req.removeListener('end', onEnd);
    req.removeListener('error', onError);
    req.removeListener('aborted', onAborted);
    done(err);
  };
  const onData = (chunk: Buffer): void => {
    received += chunk.length;
    if (received <= length) chunks.push(chunk);
  };
  const onEnd = (): void => {
    if (received !== length) return finish(new BodyReadError(400, 'request.size.invalid', 'request size did not match content length'));
    let text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length)).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const first = /\S/.exec(text)?.[0];
    if (text.length === 0) req.body = {};
    else if (first !== '{' && first !== '[') return finish(new BodyReadError(400, 'entity.parse.failed', 'not a JSON object or array'));
    else {
      try {
        req.body = JSON.parse(text) as unknown;
      } catch (err) {
        return finish(new BodyReadError(400, 'entity.parse.failed', (err as Error).message));
      }
    }
    finish();
  };
  const onError = (err: unknown): void => finish(new BodyReadError(400, 'request.aborted', (err as Error).message ?? 'request aborted'));
  const onAborted = (): void => finish(new BodyReadError(400, 'request.aborted', 'request aborted'));
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
  req.on('aborted', onAborted);
  return true;
}

/**
 * The JSON body parser of the API routes: at most `limitBytes`, then the
 * domain's input rules ({@link jsonInputProblem}) so that nothing the
 * gateway could not sign exactly reaches a handler. Mounted per route, after
 * the rate limit and authentication, so refused callers cost no parsing.
 * The common request (plain `application/json` in UTF-8 with its length) is
 * read directly; any other (another charset, a `+json` type, compressed,
 * chunked, too long) goes through Express's JSON body parser.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const parser = express.json({ limit: limitBytes, type: JSON_MEDIA_TYPES });
  return [
    (req, res, next) => {
      if (!readPlainJson(req, limitBytes, next)) void parser(req, res, next);
    },
    (req, _res, next) => {
      const problem = req.body === undefined ? undefined : jsonInputProblem(req.body);
      next(problem ? new JsonInputError(problem) : undefined);
    },
  ];
}
