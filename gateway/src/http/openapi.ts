import { z } from 'zod';
import { ROLES } from '../auth/roles.js';
import type { AnyRoute } from './route.js';

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of a zod schema, for its input side. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: {
      type: 'string',
      description: 'stable error code (INVALID_ARGUMENT, FORBIDDEN, NOT_FOUND, CONFLICT, INVALID_STATE, UNKNOWN_CITY)',
    },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): Array<Record<string, unknown>> {
  if (!schema) return [];
  const json = jsonSchemaOf(schema);
  const properties = (json.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      schema: rest,
      ...(description ? { description } : {}),
    };
  });
}

/**
 * The OpenAPI 3.1 document of the routes, generated from the same zod
 * schemas that validate the requests.
 */
export function buildOpenApi(
  routes: readonly AnyRoute[],
  info: { title: string; version: string; description: string; serverUrl: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters = [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')];
    if (r.idempotency) {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'Makes retries safe: a repeated request with the same key (and body) gets the first answer; with another body, 422.',
        schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
      });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(r.responses)) {
      responses[status] = {
        description: spec.description,
        ...(spec.schema ? { content: { [spec.mediaType ?? 'application/json']: { schema: jsonSchemaOf(spec.schema, 'output') } } } : {}),
      };
    }
    const errorStatuses = r.access === 'public' ? ['400', '429', '500'] : ['400', '401', '403', '500', '503'];
    for (const status of errorStatuses) {
      if (!responses[status])
        responses[status] = {
          description: 'problem',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        };
    }
    const operation: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: r.tags,
      security: r.access === 'public' ? [] : [{ bearer: [] }],
      'x-roles': r.access === 'public' ? [] : r.access,
      parameters,
      responses,
    };
    if (r.body || r.streamItem) {
      const mediaType = r.bodyMediaType ?? 'application/json';
      const schema = r.streamItem
        ? { type: 'string', description: 'one JSON object per line', 'x-line-schema': jsonSchemaOf(r.streamItem) }
        : jsonSchemaOf(r.body as z.ZodType);
      operation.requestBody = { required: true, content: { [mediaType]: { schema } } };
    }
    (paths[r.path] ??= {})[r.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: info.serverUrl }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: `EdDSA-signed JWT from a city gateway; roles ${ROLES.join(', ')}`,
        },
      },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}
