/** Retries with an Idempotency-Key are safe. */
import assert from 'node:assert/strict';
import { call, gateways, importEvaluations, runTag, testUscc, token, until } from './harness.js';

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

describe('idempotent retries', function () {
  before(async function () {
    await gateways();
  });

  it('answers a retried issue request with the same document, and a reused key with another body with 422', async function () {
    const op = await token('qingdao', 'operator');
    const body = {
      subject: { kind: 'enterprise', uscc: testUscc(`I${runTag}`) },
      reportType: 'publicCreditReport',
      validUntil: inAYear(),
      anchor: 'batch',
    };
    const key = `issue-${runTag}`;
    const first = await call('qingdao', 'POST', '/api/v1/reports', { token: op, body, headers: { 'Idempotency-Key': key } });
    assert.equal(first.status, 202);
    const [second, third] = await Promise.all([
      call('qingdao', 'POST', '/api/v1/reports', { token: op, body, headers: { 'Idempotency-Key': key } }),
      call('qingdao', 'POST', '/api/v1/reports', { token: op, body, headers: { 'Idempotency-Key': key } }),
    ]);
    for (const again of [second, third]) {
      assert.equal(again.status, 202);
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.body.jws, first.body.jws);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
    }
    const other = await call('qingdao', 'POST', '/api/v1/reports', {
      token: op,
      body: { ...body, reportType: 'other' },
      headers: { 'Idempotency-Key': key },
    });
    assert.equal(other.status, 422);
    const fresh = await call('qingdao', 'POST', '/api/v1/reports', { token: op, body });
    assert.notEqual(fresh.body.id, first.body.id, 'without a key, a new document');
  });

  it('answers a retried ledger write with the first answer, writing once', async function () {
    const op = await token('yantai', 'operator');
    const body = {
      subject: { kind: 'enterprise', uscc: testUscc(`J${runTag}`) },
      listType: 'keySupervision',
      legalBasis: '烟台市重点关注对象管理办法',
      measures: ['加强检查'],
      startDate: '2026-03-01',
    };
    const key = `entry-${runTag}`;
    const first = await call('yantai', 'POST', '/api/v1/list-entries', { token: op, body, headers: { 'Idempotency-Key': key } });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const second = await call('yantai', 'POST', '/api/v1/list-entries', { token: op, body, headers: { 'Idempotency-Key': key } });
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    const bad = await call('yantai', 'POST', '/api/v1/list-entries', {
      token: op,
      body: { ...body, measures: ['other'] },
      headers: { 'Idempotency-Key': key },
    });
    assert.equal(bad.status, 422);
  });

  it('re-records a bulk upload without duplicates', async function () {
    const op = await token('weihai', 'operator');
    const lines = Array.from({ length: 1203 }, (_, i) =>
      JSON.stringify({
        subject: { kind: 'enterprise', uscc: testUscc(`${runTag.slice(-4)}B${String(i).padStart(4, '0')}`) },
        scheme: 'weihai-enterprise-2026',
        grade: ['A', 'B', 'C', 'D'][i % 4],
        periodStart: '2026-01-01',
        periodEnd: '2026-09-30',
        validUntil: inAYear(),
      }),
    );
    lines.splice(7, 0, '{"subject": {"kind": "enterprise"}}');
    const raw = lines.join('\n') + '\n';
    const first = await importEvaluations('weihai', op, raw);
    assert.equal(first.status, 'done', JSON.stringify(first));
    assert.equal(first.committed, 1203);
    assert.equal(first.rejected, 1);
    assert.equal(first.errors[0].line, 8);
    // Re-sent once the records are indexed: nothing is recorded twice.
    const last = JSON.parse(lines.at(-1) as string) as { subject: unknown };
    await until(
      async () => (await call('weihai', 'POST', '/api/v1/evaluations/lookup', { token: op, body: { subject: last.subject } })).body,
      (b) => b.evaluations?.length === 1,
      60_000,
      'the last record indexed',
    );
    const again = await importEvaluations('weihai', op, raw);
    assert.equal(again.committed, 0);
    assert.equal(again.alreadyRecorded, 1203, 'the same records, idempotently');
    assert.equal(again.rejected, 1);
    const json = await call('weihai', 'POST', '/api/v1/evaluations/bulk', { token: op, body: { x: 1 } });
    assert.equal(json.status, 415);
  });
});
