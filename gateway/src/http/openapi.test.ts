import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { z } from 'zod';
import { tempStore } from '../lib/testing.js';
import type { Services } from '../services.js';
import { apiRoutes } from './app.js';
import { buildOpenApi, jsonSchemaOf } from './openapi.js';

describe('OpenAPI document', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  let routes: ReturnType<typeof apiRoutes>;
  before(async () => {
    env = await tempStore();
    routes = apiRoutes({ store: env.store, city: 'qingdao', config: { publicUrl: 'http://127.0.0.1:8101' } } as unknown as Services);
  });
  after(() => env.cleanup());

  it('describes every route once, with security matching its access', () => {
    const doc = buildOpenApi(routes, { title: 't', version: '1', description: 'd', serverUrl: 'http://x' }) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; security: unknown[]; 'x-roles': string[] }>>;
    };
    assert.equal(doc.openapi, '3.1.0');
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    assert.equal(ops.length, routes.length);
    assert.equal(new Set(ops.map((o) => o.operationId)).size, ops.length);
    assert.deepEqual(doc.paths['/api/v1/verify']?.post?.security, []);
    assert.deepEqual(doc.paths['/api/v1/reports']?.post?.['x-roles'], ['operator']);
    for (const path of [
      '/api/v1/reports',
      '/api/v1/reports/{id}',
      '/api/v1/evaluations/bulk',
      '/api/v1/audit',
      '/api/v1/documents/{id}',
      '/api/v1/public/agencies/{uscc}',
    ]) {
      assert.ok(doc.paths[path], path);
    }
  });

  it('states what the server accepts: the generated JSON Schemas agree with the validating zod schemas', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const samples: Record<string, { valid: unknown[]; invalid: unknown[] }> = {
      issueReport: {
        valid: [
          {
            subject: { kind: 'enterprise', uscc: '91350100M000100Y43' },
            reportType: 'publicCreditReport',
            validUntil: '2099-01-01T00:00:00Z',
            anchor: 'batch',
          },
        ],
        invalid: [
          { subject: { kind: 'enterprise' }, reportType: 'x', validUntil: '2099-01-01T00:00:00Z' },
          { reportType: 'x', validUntil: 'soon', subject: { kind: 'person', idNumber: '1' }, extra: 1 },
        ],
      },
      verifyDocument: { valid: [{ jws: 'a.b.c' }], invalid: [{}, { jws: 'a.b.c', proof: { leafIndex: -1 } }, { jws: 1 }] },
      recordEvaluation: {
        valid: [
          {
            subject: { kind: 'person', idNumber: '11010519491231002X' },
            scheme: 'qd',
            grade: 'A',
            periodStart: '2026-01-01',
            periodEnd: '2026-02-01',
            validUntil: '2027-01-01T00:00:00Z',
          },
        ],
        invalid: [{ scheme: 'qd', grade: 'A' }],
      },
      fileAgency: {
        valid: [{ uscc: '91350100M000100Y43', name: '信用服务公司', services: ['rating'] }],
        invalid: [{ uscc: '91350100M000100Y43', name: '', services: [] }],
      },
    };
    for (const [operationId, { valid, invalid }] of Object.entries(samples)) {
      const r = routes.find((x) => x.operationId === operationId);
      assert.ok(r?.body, operationId);
      const validate = ajv.compile(jsonSchemaOf(r.body as z.ZodType));
      for (const body of valid) {
        assert.equal((r.body as z.ZodType).safeParse(body).success, true, `${operationId} zod accepts ${JSON.stringify(body)}`);
        assert.equal(validate(body), true, `${operationId} schema accepts ${JSON.stringify(body)}: ${ajv.errorsText(validate.errors)}`);
      }
      for (const body of invalid) {
        assert.equal((r.body as z.ZodType).safeParse(body).success, false, `${operationId} zod refuses ${JSON.stringify(body)}`);
        assert.equal(validate(body), false, `${operationId} schema refuses ${JSON.stringify(body)}`);
      }
    }
  });

  it('declares a schema for every 2xx JSON answer, except the routes listed here (a list that may only shrink)', () => {
    // Answers not yet described; the contract check of the test gateways (JCC_CHECK_RESPONSES) checks every declared one.
    const undescribed = new Set(['openapi', 'publicStatistics']);
    const missing: string[] = [];
    for (const r of routes) {
      for (const [status, spec] of Object.entries(r.responses)) {
        const code = Number(status);
        if (code < 200 || code >= 300 || code === 204 || spec.schema) continue;
        if ((spec.mediaType ?? 'application/json') !== 'application/json') continue;
        if (!undescribed.has(r.operationId)) missing.push(`${r.operationId} ${status}`);
      }
    }
    assert.deepEqual(missing, [], 'routes answering JSON without a response schema');
    for (const id of undescribed) {
      const r = routes.find((x) => x.operationId === id);
      assert.ok(r, `${id} is no route: remove it from the list`);
      assert.ok(
        Object.entries(r.responses).some(([status, spec]) => Number(status) < 300 && !spec.schema),
        `${id} has its schema now: remove it from the list`,
      );
    }
  });
});
