/**
 * Key lifecycle through the API, on the real network (issue 11 §1): rotating
 * a document key closes the old key for signing (`validTo`, `supersededBy`)
 * while documents it signed before still verify; a key is revoked with a
 * reason; a document signed after its key's `revokedAt` fails `issuerKey`.
 * Ed25519 keys on Weihai's test gateway, SM2 keys on a Weifang gateway of its
 * own signing with `ed25519+sm2`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read as loosely typed JSON */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { CityId } from '@jcc/domain';
import {
  call,
  callAt,
  dataDir,
  gateways,
  runTag,
  spawnedOperatorToken,
  spawnGateway,
  stopChild,
  testUrl,
  testUscc,
  token,
  until,
  waitReady,
} from './harness.js';

const DAY = 86_400_000;

/** The kids of a document's signatures (compact JWS or JSON serialization), in order. */
function kidsOf(jws: string): string[] {
  const headers = jws.startsWith('{')
    ? (JSON.parse(jws).signatures as Array<{ protected: string }>).map((s) => s.protected)
    : [jws.split('.')[0] as string];
  return headers.map((h) => JSON.parse(Buffer.from(h, 'base64url').toString()).kid as string);
}

/** The checks of a verdict by name. */
function checks(verdict: any): Record<string, { ok: boolean; detail?: string }> {
  return Object.fromEntries((verdict.checks as any[]).map((c) => [c.check, c]));
}

describe('key lifecycle through the API (rotate, revoke with a reason)', function () {
  this.timeout(300_000);

  /** Issues a report at `url` and waits until it is anchored; answers {id, jws, issuedAt}. */
  async function issue(url: string, operator: string, seed: string): Promise<{ id: string; jws: string; issuedAt: string }> {
    const res = await callAt(url, 'POST', '/api/v1/reports', {
      token: operator,
      body: {
        subject: { kind: 'enterprise', uscc: testUscc(`${seed}${runTag}`) },
        reportType: 'publicCreditReport',
        validUntil: new Date(Date.now() + 30 * DAY).toISOString(),
        anchor: 'single',
      },
    });
    const body = res.body;
    assert.equal(res.status, 202, JSON.stringify(body));
    const state = await until(
      async () => (await callAt(url, 'GET', `/api/v1/reports/${body.id}`, { token: operator })).body,
      (s) => s.state === 'anchored',
      60_000,
      `${body.id} anchored`,
    );
    return { id: body.id, jws: state.jws, issuedAt: state.issuedAt ?? JSON.parse(payloadOf(state.jws)).issuedAt };
  }

  function payloadOf(jws: string): string {
    const payload = jws.startsWith('{') ? (JSON.parse(jws).payload as string) : (jws.split('.')[1] as string);
    return Buffer.from(payload, 'base64url').toString();
  }

  /** Verifies at Qingdao until the verdict settles on `valid` (the index may lag a block). */
  async function verifyAt(city: CityId, jws: string, valid: boolean): Promise<any> {
    const res = await until(
      () => call(city, 'POST', '/api/v1/verify', { body: { jws } }),
      (r) => r.status === 200 && r.body.valid === valid,
      30_000,
      `verdict valid=${valid}`,
    );
    return res.body;
  }

  async function ledgerKey(city: CityId, kid: string): Promise<any> {
    const res = await call('rizhao', 'GET', `/api/v1/cities/${city}`);
    assert.equal(res.status, 200);
    return (res.body.keys as any[]).find((k) => k.kid === kid);
  }

  describe('Ed25519 document key (Weihai)', function () {
    const city = 'weihai';

    it('rotation closes the old key (validTo, supersededBy); documents it signed before still verify; new documents use the new key', async function () {
      await gateways();
      const base = testUrl(city);
      const op = await token(city, 'operator');
      const before = await issue(base, op, 'KLA');
      const rotated = await call(city, 'POST', '/api/v1/keys/rotate', { token: op, body: { use: 'document' } });
      assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
      const [oldKid] = kidsOf(before.jws);
      assert.equal(rotated.body.previous.kid, oldKid);
      assert.equal(rotated.body.previous.validTo, rotated.body.validFrom, 'the old key is closed where the new one starts');
      assert.equal(rotated.body.previous.supersededBy, rotated.body.kid);
      const onLedger = await until(
        () => ledgerKey(city, oldKid as string),
        (k) => k?.validTo === rotated.body.validFrom,
        30_000,
        'old key closed on the ledger',
      );
      assert.equal(onLedger.supersededBy, rotated.body.kid);
      const after = await issue(base, op, 'KLB');
      assert.deepEqual(kidsOf(after.jws), [rotated.body.kid]);
      assert.ok(Date.parse(before.issuedAt) < Date.parse(rotated.body.validFrom));
      for (const doc of [before, after]) await verifyAt('qingdao', doc.jws, true);
    });

    it('revokes a key with a reason: documents signed before revokedAt verify, one signed after fails issuerKey; the gateway signs on with a new key', async function () {
      await gateways();
      const base = testUrl(city);
      const op = await token(city, 'operator');
      const earlier = await issue(base, op, 'KLC');
      await new Promise((r) => setTimeout(r, 50));
      const revokedAt = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 50));
      const later = await issue(base, op, 'KLD');
      const [kid] = kidsOf(later.jws);
      assert.deepEqual(kidsOf(earlier.jws), [kid], 'both signed with the current key');

      const bad = await call(city, 'POST', `/api/v1/keys/${kid}/revocation`, { token: op, body: { reason: 'stolen laptop' } });
      assert.equal(bad.status, 400, 'the reason is a code, never free text');
      const revoked = await call(city, 'POST', `/api/v1/keys/${kid}/revocation`, {
        token: op,
        body: { reason: 'keyCompromise', revokedAt },
      });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.equal(revoked.body.revoked.revokedAt, revokedAt);
      assert.equal(revoked.body.revoked.revocationReason, 'keyCompromise');
      assert.equal(revoked.body.rotated.previous.kid, kid, 'the current key was rotated before it was revoked');

      await verifyAt('yantai', earlier.jws, true);
      const verdict = await verifyAt('yantai', later.jws, false);
      const byName = checks(verdict);
      assert.equal(byName.issuerKey?.ok, false, JSON.stringify(verdict));
      assert.equal(byName.signature?.ok, true, 'the signature itself still matches');

      const next = await issue(base, op, 'KLE');
      assert.deepEqual(kidsOf(next.jws), [revoked.body.rotated.kid]);
      await verifyAt('yantai', next.jws, true);

      const again = await call(city, 'POST', `/api/v1/keys/${kid}/revocation`, { token: op, body: { reason: 'keyCompromise' } });
      assert.equal(again.status, 409, JSON.stringify(again.body));
      const unknown = await call(city, 'POST', `/api/v1/keys/${kid}x/revocation`, { token: op, body: {} });
      assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
      const other = await call('qingdao', 'POST', `/api/v1/keys/${kid}/revocation`, {
        token: await token('qingdao', 'operator'),
        body: {},
      });
      assert.equal(other.status, 404, 'a city cannot revoke another city’s key');
      const anonymous = await call(city, 'POST', `/api/v1/keys/${kid}/revocation`, { body: {} });
      assert.equal(anonymous.status, 401);
    });
  });

  describe('SM2 document key (a Weifang gateway signing with ed25519+sm2)', function () {
    const port = Number(process.env.JCC_TEST_SM2_LIFECYCLE_PORT ?? 18114);
    const store = join(dataDir, 'weifang-sm2');
    const base = `http://127.0.0.1:${port}`;
    let child: ChildProcess | undefined;
    let operator: string;

    before(async function () {
      await gateways();
      child = spawnGateway('weifang', port, store, { JCC_SIGNATURE_SUITE: 'ed25519+sm2' });
      await waitReady(base, 180_000);
      operator = await spawnedOperatorToken('weifang', store, { sm2: true });
    });

    after(async function () {
      await stopChild(child);
    });

    async function sm2Call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
      const res = await callAt(base, method, path, { token: operator, body });
      return { status: res.status, body: res.body };
    }

    it('rotates the SM2 key (the old one closed, its documents still verify), then a revoked SM2 key fails issuerKey for documents signed after revokedAt', async function () {
      const first = await issue(base, operator, 'KLF');
      const [, sm2Kid] = kidsOf(first.jws);
      assert.match(sm2Kid as string, /^weifang\.document-sm2\./);

      const rotated = await sm2Call('POST', '/api/v1/keys/rotate', { use: 'document', algorithm: 'SM2SM3' });
      assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
      assert.equal(rotated.body.previous.kid, sm2Kid);
      assert.equal(rotated.body.previous.validTo, rotated.body.validFrom);
      assert.equal(rotated.body.jwk.crv, 'SM2');
      const refused = await sm2Call('POST', '/api/v1/keys/rotate', { use: 'gateway', algorithm: 'SM2SM3' });
      assert.equal(refused.status, 400, JSON.stringify(refused.body));

      const second = await issue(base, operator, 'KLG');
      assert.equal(kidsOf(second.jws)[1], rotated.body.kid);
      await verifyAt('qingdao', first.jws, true);
      await verifyAt('qingdao', second.jws, true);

      await new Promise((r) => setTimeout(r, 50));
      const revokedAt = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 50));
      const third = await issue(base, operator, 'KLH');
      const revoked = await sm2Call('POST', `/api/v1/keys/${rotated.body.kid}/revocation`, { reason: 'keyCompromise', revokedAt });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      assert.equal(revoked.body.rotated.jwk.crv, 'SM2', 'the current SM2 key was rotated first');

      await verifyAt('rizhao', second.jws, true);
      const verdict = await verifyAt('rizhao', third.jws, false);
      assert.equal(checks(verdict).issuerKey?.ok, false, JSON.stringify(verdict));
      const fourth = await issue(base, operator, 'KLI');
      assert.equal(kidsOf(fourth.jws)[1], revoked.body.rotated.kid);
      await verifyAt('rizhao', fourth.jws, true);
    });
  });
});
