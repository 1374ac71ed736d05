import assert from 'node:assert/strict';
import { z } from 'zod';
import { CodedError } from '@jcc/domain';
import { ForbiddenError, UnauthenticatedError } from '../auth/errors.js';
import { LedgerCommitError, LedgerFailureError, LedgerRefusedError, LedgerUnavailableError, toLedgerError } from '../fabric/errors.js';
import { IdempotencyConflictError } from '../issue/issuer.js';
import { HttpProblem, toProblem } from './problem.js';

describe('problem mapping', () => {
  it('maps every chaincode code to its status, keeping code and text', () => {
    const expected = {
      INVALID_ARGUMENT: 400,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      CONFLICT: 409,
      INVALID_STATE: 409,
      UNKNOWN_CITY: 403,
    } as const;
    for (const [code, status] of Object.entries(expected)) {
      const { problem } = toProblem(new LedgerRefusedError('reports:AnchorDocument', code as keyof typeof expected, 'because'));
      assert.equal(problem.status, status, code);
      assert.equal(problem.code, code);
      assert.equal(problem.detail, 'because');
      assert.match(problem.type, /^https:\/\//);
    }
    assert.equal(toProblem(new CodedError('INVALID_ARGUMENT', 'records[2].grade: must be ...')).problem.status, 400);
  });

  it('finds the code in a Fabric endorsement error message', () => {
    const err = toLedgerError(
      'reports:RevokeDocument',
      new Error(
        '10 ABORTED: failed to endorse transaction, see attached details for more info; chaincode response 500, INVALID_STATE: document qingdao/x is already revoked',
      ),
    );
    assert.ok(err instanceof LedgerRefusedError);
    assert.equal(err.code, 'INVALID_STATE');
    assert.equal(toProblem(err).problem.status, 409);
  });

  it('answers validation errors with the offending fields', () => {
    const parsed = z.strictObject({ a: z.string(), b: z.object({ c: z.number() }) }).safeParse({ a: 1, b: { c: 'x' }, d: 2 });
    assert.equal(parsed.success, false);
    const { problem } = toProblem(parsed.error);
    assert.equal(problem.status, 400);
    assert.deepEqual(
      problem.errors?.map((e) => e.path),
      ['a', 'b.c', '(body)'],
    );
    assert.match(problem.errors?.[2]?.message ?? '', /unknown field "d"/);
  });

  it('maps authentication, authorisation, idempotency and ledger availability', () => {
    const unauth = toProblem(new UnauthenticatedError('no token'));
    assert.equal(unauth.problem.status, 401);
    assert.match(unauth.headers['WWW-Authenticate'] ?? '', /^Bearer/);
    assert.equal(toProblem(new ForbiddenError('no')).problem.status, 403);
    assert.equal(toProblem(new IdempotencyConflictError('reused')).problem.status, 422);
    assert.equal(toProblem(new LedgerUnavailableError('x:Y', 'down')).problem.status, 503);
    assert.equal(toProblem(new LedgerFailureError('x:Y', 'chaincode response 500, TypeError')).problem.status, 502);
    assert.equal(toProblem(new LedgerCommitError('x:Y', 'MVCC_READ_CONFLICT', 'tx')).problem.status, 503);
    assert.equal(toProblem(new HttpProblem(404, 'not-found', 'Not found', 'nope')).problem.status, 404);
  });

  it('never reveals an unexpected error', () => {
    const { problem, internal } = toProblem(new TypeError('secret internals at /work/main/x.ts:1'));
    assert.equal(problem.status, 500);
    assert.equal(internal, true);
    assert.doesNotMatch(JSON.stringify(problem), /secret|work\/main/);
  });

  it('maps body-parser errors', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true, type: 'entity.too.large' });
    assert.equal(toProblem(tooLarge).problem.status, 413);
    const malformed = Object.assign(new Error('Unexpected token'), { status: 400, expose: true, type: 'entity.parse.failed' });
    assert.equal(toProblem(malformed).problem.status, 400);
  });
});
