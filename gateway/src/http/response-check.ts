import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { jsonSchemaOf } from './openapi.js';
import type { AnyRoute } from './route.js';

/** A 2xx answer that its route's OpenAPI declaration does not describe. */
export class ResponseSchemaError extends Error {
  override readonly name = 'ResponseSchemaError';
}

/**
 * Checks a route's 2xx answers against the response schemas of its
 * declaration, as the OpenAPI document states them (the JSON Schema
 * generated for the output side: every member it names, with its type, is
 * checked; members it does not name are not refused yet), so the document,
 * and the client types generated from it, cannot promise what the gateway
 * does not send. The test gateways turn it on (`JCC_CHECK_RESPONSES`); a
 * mismatch fails the request with a 500 whose log line names it.
 */
export class ResponseCheck {
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor() {
    addFormats.default(this.#ajv);
  }

  /**
   * @throws ResponseSchemaError when a 2xx status is not declared, or its
   *   JSON body does not match the declared schema.
   */
  check(route: AnyRoute, status: number, body: unknown): void {
    if (status < 200 || status >= 300) return;
    const spec = route.responses[status];
    if (!spec) throw new ResponseSchemaError(`${route.operationId} answered ${status}, which its declaration does not list`);
    if (body === undefined) return;
    // Routes still without a response schema are listed in openapi.test.ts, which lets that list only shrink.
    if (!spec.schema) return;
    const key = `${route.operationId} ${status}`;
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(allowingUnknownMembers(jsonSchemaOf(spec.schema, 'output')));
      this.#compiled.set(key, validate);
    }
    // What the client receives: the JSON text of the body.
    const sent: unknown = JSON.parse(JSON.stringify(body));
    if (!validate(sent))
      throw new ResponseSchemaError(
        `${route.operationId} answered ${status} with a body that does not match its declared schema: ${(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('; ')}`,
      );
  }
}

/** The schema without its `additionalProperties: false` (members the schema does not name are let through). */
function allowingUnknownMembers(schema: unknown): Record<string, unknown> {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) if (!(k === 'additionalProperties' && v === false)) out[k] = walk(v);
    return out;
  };
  return walk(schema) as Record<string, unknown>;
}
