/** Operating a gateway: health, readiness, metrics, OpenAPI, problem documents, limits, headers. */
import assert from 'node:assert/strict';
import { call, gateways, testUrl, token, until } from './harness.js';

describe('operations', function () {
  before(async function () {
    await gateways();
  });

  it('answers /healthz, /readyz (peer, keys, index, access log) and Prometheus /metrics', async function () {
    const health = await call('yantai', 'GET', '/healthz');
    assert.deepEqual(health.body, { status: 'ok', city: 'yantai', accessLog: 'continuous' });
    const ready = await call('yantai', 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.peerReachable, true);
    assert.equal(ready.body.keysRegistered, true);
    assert.equal(ready.body.indexCaughtUp, true);
    assert.equal(ready.body.accessLogContinuous, true);
    assert.equal(ready.body.accessLog.state, 'continuous');
    const metrics = await fetch(`${testUrl('yantai')}/metrics`);
    const text = await metrics.text();
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain/);
    for (const name of [
      'jcc_http_request_duration_seconds',
      'jcc_ledger_call_duration_seconds',
      'jcc_index_events_total',
      'jcc_index_lag_blocks',
      'jcc_access_log_diverged',
      'jcc_gateway_process_cpu_user_seconds_total',
    ]) {
      assert.match(text, new RegExp(`^# HELP ${name}`, 'm'), name);
    }
  });

  it('serves its OpenAPI 3 document', async function () {
    const res = await call('weihai', 'GET', '/api/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    assert.ok(res.body.paths['/api/v1/verify'].post.requestBody);
    assert.ok(res.body.paths['/api/v1/reports'].post.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key'));
  });

  it('answers errors as RFC 9457 problem documents, without internals', async function () {
    const op = await token('weifang', 'operator');
    const invalid = await call('weifang', 'POST', '/api/v1/reports', {
      token: op,
      body: { subject: { kind: 'enterprise', uscc: '91350100M000100Y44' }, reportType: 'x', validUntil: 'tomorrow', extra: true },
    });
    assert.equal(invalid.status, 400);
    assert.match(invalid.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(invalid.body.status, 400);
    assert.ok(invalid.body.type && invalid.body.title);
    const paths = invalid.body.errors.map((e: { path: string }) => e.path);
    assert.ok(paths.includes('subject.uscc'), JSON.stringify(invalid.body.errors));
    assert.ok(paths.includes('validUntil'));
    assert.doesNotMatch(JSON.stringify(invalid.body), /at .*\.ts:\d+|node_modules/);
    const malformed = await call('weifang', 'POST', '/api/v1/verify', { raw: '{"jws":', contentType: 'application/json' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.title, 'Malformed JSON');
    const unknown = await call('weifang', 'GET', '/api/v1/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.status, 404);
    const notFound = await call('weifang', 'GET', '/api/v1/evaluations/qingdao/no-such-evaluation', { token: op });
    assert.equal(notFound.status, 404);
    assert.equal(notFound.body.code, 'NOT_FOUND');
  });

  it('limits body sizes', async function () {
    const big = await call('rizhao', 'POST', '/api/v1/verify', { body: { jws: 'x'.repeat(2 * 1024 * 1024) } });
    assert.equal(big.status, 413);
    assert.equal(big.body.status, 413);
  });

  it('rotates the document key: new documents use the new kid, documents of the old key stay valid', async function () {
    const op = await token('rizhao', 'operator');
    const body = {
      subject: { kind: 'enterprise', uscc: '91350100M000100Y43' },
      reportType: 'publicCreditReport',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    };
    const before = await call('rizhao', 'POST', '/api/v1/reports', { token: op, body });
    assert.equal(before.status, 202);
    const rotated = await call('rizhao', 'POST', '/api/v1/keys/rotate', { token: op, body: { use: 'document' } });
    assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
    assert.equal(rotated.body.use, 'document');
    const after = await call('rizhao', 'POST', '/api/v1/reports', { token: op, body });
    const kidOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[0] as string, 'base64url').toString()).kid as string;
    assert.equal(kidOf(after.body.jws), rotated.body.kid);
    assert.notEqual(kidOf(before.body.jws), rotated.body.kid);
    for (const doc of [before.body, after.body]) {
      const res = await until(
        () => call('qingdao', 'POST', '/api/v1/verify', { body: { jws: doc.jws } }),
        (r) => r.body?.valid === true,
        30_000,
        `valid ${doc.id}`,
      );
      assert.equal(res.body.valid, true);
    }
    const cities = await call('weihai', 'GET', '/api/v1/cities/rizhao');
    assert.ok(
      cities.body.keys.some((k: { kid: string }) => k.kid === rotated.body.kid),
      'the new key is on the ledger',
    );
  });

  it('sends security headers and serves the verification page at /', async function () {
    const res = await fetch(`${testUrl('qingdao')}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(res.headers.get('content-security-policy'));
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-powered-by'), null);
  });
});
