/**
 * Fuzzing every operation of the gateway's own OpenAPI document against real
 * gateways on the real network (issue 11 §2): random and mutated paths,
 * queries, headers, bodies and tokens. Every answer must be below 500, every
 * error answer must be application/problem+json, and a refused write must
 * leave the ledger as it was (block height unchanged).
 *
 * JCC_FUZZ_SEED (default 20261201) fixes the inputs; JCC_FUZZ_RUNS (default 40)
 * is the number of requests per operation. The seed is printed, so a failure
 * can be replayed.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the OpenAPI document is read as loosely typed JSON */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CITY_IDS, type CityId } from '@jcc/domain';
import type { RunningGateway } from '../../gateway/src/gateway.js';
import { call, gateways, testUrl, token } from '../gateway/harness.js';
import {
  HOSTILE_SEGMENTS,
  HOSTILE_STRINGS,
  encodeSegment,
  fromSchema,
  hostileJsonText,
  hostileValue,
  mutate,
  type JsonSchema,
} from './arbitraries.js';

const SEED = Number(process.env.JCC_FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.JCC_FUZZ_RUNS ?? 40);
const TARGET: CityId = 'weifang';

interface Operation {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  roles: string[];
  parameters: Array<{ name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema }>;
  body?: { mediaType: string; schema: JsonSchema };
}

/** A request the fuzzer sends. */
interface FuzzRequest {
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const b64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** The operations of the OpenAPI document. */
function operationsOf(doc: any): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(methods)) {
      const content = op.requestBody?.content as Record<string, { schema: JsonSchema }> | undefined;
      const [mediaType, media] = content ? (Object.entries(content)[0] ?? []) : [];
      out.push({
        method: method as 'get' | 'post',
        path,
        operationId: op.operationId,
        roles: op['x-roles'] ?? [],
        parameters: op.parameters ?? [],
        ...(mediaType && media ? { body: { mediaType, schema: media.schema } } : {}),
      });
    }
  }
  return out;
}

/** Waits until no gateway has anything left to anchor (so the block height only moves for the request under test). */
async function quiet(all: Record<CityId, RunningGateway>, timeoutMs = 20_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    let busy = false;
    for (const gw of Object.values(all)) {
      const s = gw.services;
      if (s.single.inFlight > 0 || s.batch.waiting > 0) busy = true;
      else for await (const _ of s.tables.outbox.single.entries({ limit: 1 })) busy = true;
      if (busy) break;
    }
    if (!busy) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('fuzzing every OpenAPI operation', function () {
  this.timeout(600_000);
  let all: Record<CityId, RunningGateway>;
  let operations: Operation[];
  let tokens: fc.Arbitrary<string | undefined>;

  before(async function () {
    all = await gateways();
    const doc = await call(TARGET, 'GET', '/api/v1/openapi.json');
    assert.equal(doc.status, 200);
    operations = operationsOf(doc.body);
    const forged = (header: Record<string, unknown>) =>
      `${b64url(JSON.stringify(header))}.${b64url('{"iss":"weifang","role":"operator"}')}.AAAA`;
    const valid = await Promise.all([
      token(TARGET, 'operator'),
      token(TARGET, 'regulator'),
      token(TARGET, 'alliance'),
      token('qingdao', 'operator'),
      token('qingdao', 'gateway'),
      token('rizhao', 'regulator', { audience: [TARGET] }),
      token(TARGET, 'operator', { ttlSeconds: 1, now: Date.now() - 3600_000 }),
    ]);
    tokens = fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 6, arbitrary: fc.constantFrom(...valid) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'not-a-jwt',
          forged({ alg: 'none', kid: 'x' }),
          forged({ alg: 'Ed\r\nX: 1', kid: 'x' }),
          forged({ alg: 'EdDSA\u00e9', kid: '\u6f22' }),
          forged({ alg: 'EdDSA', kid: 'weifang.gateway.unknown' }),
          forged({ alg: 'ES256', kid: 42 }),
        ),
      },
    );
    console.log(`      fuzz seed ${SEED}, ${RUNS} runs per operation, ${operations.length} operations (JCC_FUZZ_SEED, JCC_FUZZ_RUNS)`);
  });

  it('answers every operation below 500, errors as problem+json, refused writes changing nothing', async function () {
    assert.ok(operations.length >= 30, `only ${operations.length} operations in the OpenAPI document`);
    const failures: string[] = [];
    let sent = 0;
    let stateChecks = 0;
    for (const [index, op] of operations.entries()) {
      const request = requestArbitrary(op, tokens);
      const outcome = await fc.check(
        fc.asyncProperty(request, async (req) => {
          const write = op.method === 'post';
          const checkState = write && (await quiet(all));
          const before = checkState ? await all[TARGET].services.ledger.chainHeight() : 0n;
          let res: Response;
          try {
            res = await fetch(`${testUrl(TARGET)}${req.path}`, {
              method: op.method.toUpperCase(),
              headers: req.headers,
              ...(req.body === undefined ? {} : { body: req.body }),
            });
          } catch (err) {
            // Requests this client refuses to send (header bytes, URLs) say nothing about the server.
            if (err instanceof TypeError && !/fetch failed/.test(err.message)) return;
            throw err;
          }
          sent++;
          const text = await res.text();
          const where = `${op.method.toUpperCase()} ${req.path.slice(0, 200)} → ${res.status}`;
          assert.ok(res.status < 500, `${where}: ${text.slice(0, 300)}`);
          if (res.status >= 400) {
            assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, `${where}: not problem+json`);
            const problem = JSON.parse(text) as { status?: number };
            assert.equal(problem.status, res.status, `${where}: problem status`);
            if (checkState) {
              const after = await all[TARGET].services.ledger.chainHeight();
              stateChecks++;
              assert.equal(after, before, `${where}: the ledger grew from ${before} to ${after} blocks for a refused write`);
            }
          }
        }),
        { seed: SEED + index, numRuns: RUNS, endOnFailure: true },
      );
      if (outcome.failed) {
        const example = JSON.stringify(outcome.counterexample?.[0] ?? null).slice(0, 600);
        const error = outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance);
        failures.push(
          `${op.operationId} (seed ${outcome.seed}, path ${outcome.counterexamplePath}): ${error.slice(0, 600)}\n  request: ${example}`,
        );
      }
    }
    console.log(`      ${sent} requests sent, ${stateChecks} refused writes checked against the block height`);
    assert.deepEqual(failures, [], failures.join('\n\n'));
  });
});

/** Requests for one operation: path parameters, query, headers and body, valid-looking or hostile. */
function requestArbitrary(op: Operation, tokens: fc.Arbitrary<string | undefined>): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const segment = (p: Operation['parameters'][number]): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 5, arbitrary: fromSchema(p.schema).map((v) => encodeSegment(String(v))) },
      { weight: 1, arbitrary: fc.constantFrom(...CITY_IDS) },
      { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
      { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).map(encodeSegment) },
    );
  const path = fc
    .tuple(...pathParams.map(segment))
    .map((values) => pathParams.reduce((p, param, i) => p.replace(`{${param.name}}`, values[i] ?? ''), op.path));
  const query = fc
    .array(
      fc.oneof(
        ...(queryParams.length > 0
          ? [fc.constantFrom(...queryParams).chain((p) => fc.tuple(fc.constant(p.name), fromSchema(p.schema).map(String)))]
          : []),
        fc.tuple(
          fc.constantFrom('pageSize', 'bookmark', 'city', 'x', '__proto__'),
          fc.constantFrom(...HOSTILE_STRINGS, '-1', '1e9', '0x10'),
        ),
      ),
      { maxLength: 3 },
    )
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join('&')}`));
  const headerText = fc.oneof(
    fc.constantFrom(...HOSTILE_STRINGS.filter((s) => /^[\x20-\x7e]*$/.test(s) && s.length < 200)),
    fc.string({ maxLength: 140 }),
  );
  const headers = fc.record(
    {
      token: tokens,
      idempotencyKey: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), headerText),
      contentType: fc.constantFrom(
        op.body?.mediaType ?? 'application/json',
        op.body?.mediaType ?? 'application/json',
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=utf-7',
        'application/x-ndjson',
        'text/plain',
        'application/problem+json',
        'multipart/form-data; boundary=x',
      ),
      requestId: headerText,
    },
    { requiredKeys: ['token', 'contentType'] },
  );
  const body = op.body
    ? bodyArbitrary(op.body)
    : op.method === 'get'
      ? fc.constant(undefined)
      : fc.option(fc.constantFrom('{}', '{"a":1}', 'x'.repeat(1000)), { nil: undefined });
  return fc.tuple(path, query, headers, body).map(([p, q, h, b]) => {
    const out: Record<string, string> = { accept: 'application/json' };
    if (h.token !== undefined) out.authorization = `Bearer ${h.token}`;
    if (h.idempotencyKey !== undefined) out['idempotency-key'] = h.idempotencyKey;
    if (h.requestId !== undefined) out['x-request-id'] = h.requestId;
    if (b !== undefined) out['content-type'] = h.contentType;
    return { path: p + q, headers: out, ...(b === undefined ? {} : { body: b }) };
  });
}

/** Bodies for an operation: a schema-following value, mutated, serialised, sometimes made hostile as text. */
function bodyArbitrary(body: { mediaType: string; schema: JsonSchema }): fc.Arbitrary<string | undefined> {
  const ndjson = body.mediaType === 'application/x-ndjson';
  const itemSchema = ndjson ? (body.schema['x-line-schema'] as JsonSchema) : body.schema;
  const value = fromSchema(itemSchema).chain((v) =>
    fc.oneof({ weight: 1, arbitrary: fc.constant(v) }, { weight: 3, arbitrary: mutate(v) }),
  );
  const text = value
    .map((v) => JSON.stringify(v) ?? 'null')
    .chain((t) => fc.oneof({ weight: 3, arbitrary: fc.constant(t) }, { weight: 1, arbitrary: hostileJsonText(t) }));
  if (ndjson) return fc.array(text, { minLength: 0, maxLength: 4 }).map((lines) => lines.join('\n'));
  return fc.oneof(
    { weight: 8, arbitrary: text },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? '') },
  );
}
