/**
 * Who reaches what: the role/city authorisation matrix on real gateways, and
 * the tokens that must be refused.
 */
import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import type { CityId } from '@jcc/domain';
import type { Role } from '../../gateway/src/auth/roles.js';
import { call, gateways, runTag, testUscc, token, until } from './harness.js';

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

describe('authorisation', function () {
  let docId: string;
  const uscc = testUscc(`Z${runTag}`);

  before(async function () {
    await gateways();
    const res = await call('qingdao', 'POST', '/api/v1/reports', {
      token: await token('qingdao', 'operator'),
      body: { subject: { kind: 'enterprise', uscc }, reportType: 'publicCreditReport', validUntil: inAYear(), anchor: 'single' },
    });
    docId = res.body.id;
    const filed = await call('qingdao', 'POST', '/api/v1/agencies', {
      token: await token('qingdao', 'operator'),
      body: { uscc, name: '青岛信用服务所', services: ['reports'] },
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const inspected = await call('yantai', 'POST', `/api/v1/agencies/${uscc}/supervision`, {
      token: await token('yantai', 'operator'),
      body: { action: 'inspection', summary: 'filing documents checked', date: '2026-11-02' },
    });
    assert.equal(inspected.status, 201, JSON.stringify(inspected.body));
  });

  /** Endpoints of Qingdao's gateway, with the roles (of which cities) that may use them. */
  const endpoints = () => [
    {
      name: 'issue a report',
      method: 'POST',
      path: '/api/v1/reports',
      body: { subject: { kind: 'enterprise', uscc }, reportType: 'x', validUntil: inAYear() },
      ok: 202,
      allowed: ['operator'],
    },
    { name: 'read a report', method: 'GET', path: `/api/v1/reports/${docId}`, ok: 200, allowed: ['operator', 'regulator', 'gateway'] },
    {
      name: 'share a document with a gateway',
      method: 'GET',
      path: `/api/v1/documents/${docId}`,
      ok: 200,
      allowed: ['operator', 'regulator', 'gateway'],
    },
    { name: 'read the audit trail', method: 'GET', path: '/api/v1/audit?limit=1', ok: 200, allowed: ['regulator'] },
    { name: 'look an agency up', method: 'GET', path: `/api/v1/agencies/${uscc}`, ok: 200, allowed: ['operator', 'regulator', 'alliance'] },
    { name: 'list agreements', method: 'GET', path: '/api/v1/agreements', ok: 200, allowed: ['operator', 'regulator'] },
    {
      name: 'record a supervision action',
      method: 'POST',
      path: `/api/v1/agencies/${uscc}/supervision`,
      body: { action: 'warning', summary: 'late annual report', date: '2026-11-20' },
      ok: 201,
      allowed: ['operator'],
    },
  ];

  const principals: Array<{ role: Role; city: CityId }> = [
    { role: 'operator', city: 'qingdao' },
    { role: 'operator', city: 'yantai' },
    { role: 'regulator', city: 'weihai' },
    { role: 'alliance', city: 'weifang' },
    { role: 'gateway', city: 'rizhao' },
  ];

  for (const p of principals) {
    it(`lets ${p.role === 'operator' || p.role === 'alliance' ? 'an' : 'a'} ${p.role} of ${p.city} reach exactly its endpoints at Qingdao`, async function () {
      // Every token names Qingdao's gateway as audience, so only role and city decide.
      const t = await token(p.city, p.role, { audience: ['qingdao'] });
      for (const e of endpoints()) {
        const res = await call('qingdao', e.method, e.path, { token: t, ...(e.body ? { body: e.body } : {}) });
        const mayUse = e.allowed.includes(p.role) && !(p.role === 'operator' && p.city !== 'qingdao');
        if (mayUse) assert.equal(res.status, e.ok, `${p.role}@${p.city} ${e.name}: ${JSON.stringify(res.body)}`);
        else {
          assert.equal(res.status, 403, `${p.role}@${p.city} must not ${e.name}: got ${res.status}`);
          assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        }
      }
    });
  }

  it("refuses another city's operator token at Qingdao's operator endpoints even without audience tricks", async function () {
    const res = await call('qingdao', 'POST', '/api/v1/reports', { token: await token('yantai', 'operator'), body: {} });
    assert.equal(res.status, 401, 'a Yantai token names Yantai as audience');
  });

  it('asks for a token where one is needed, and serves the public endpoints without one', async function () {
    const none = await call('qingdao', 'GET', `/api/v1/reports/${docId}`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await call('qingdao', 'GET', `/api/v1/public/agencies/${uscc}`)).status, 200);
    assert.equal((await call('qingdao', 'POST', '/api/v1/verify', { body: { jws: 'x' } })).status, 200);
    assert.equal((await call('qingdao', 'GET', '/api/v1/openapi.json')).status, 200);
  });

  it('refuses expired, wrongly signed, unsigned (alg none) and malformed tokens', async function () {
    const gw = (await gateways()).qingdao;
    const expired = await token('qingdao', 'operator', { ttlSeconds: 60, now: Date.now() - 3_600_000 });
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const claims = { role: 'operator', city: 'qingdao' };
    const wrongKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: gw.services.keys.current('gateway').kid })
      .setIssuer('jcc:gateway:qingdao')
      .setAudience('jcc:gateway:qingdao')
      .setSubject('intruder')
      .setExpirationTime('10m')
      .sign(privateKey);
    const unsigned = new UnsecuredJWT(claims)
      .setIssuer('jcc:gateway:qingdao')
      .setAudience('jcc:gateway:qingdao')
      .setSubject('intruder')
      .setExpirationTime('10m')
      .encode();
    for (const [name, t] of [
      ['expired', expired],
      ['wrongly signed', wrongKey],
      ['alg none', unsigned],
      ['malformed', 'abc.def'],
    ] as const) {
      const res = await call('qingdao', 'GET', `/api/v1/reports/${docId}`, { token: t });
      assert.equal(res.status, 401, name);
      assert.equal(res.body.status, 401);
    }
  });

  it('accepts a regulator token minted by one city at every city that it names', async function () {
    const t = await token('weihai', 'regulator', { audience: ['qingdao', 'yantai', 'weihai', 'weifang', 'rizhao'] });
    for (const city of ['qingdao', 'yantai', 'weifang'] as const) {
      const res = await until(
        () => call(city, 'GET', '/api/v1/audit?limit=1', { token: t }),
        (r) => r.status === 200,
        10_000,
        `audit at ${city}`,
      );
      assert.equal(res.status, 200);
    }
  });
});
