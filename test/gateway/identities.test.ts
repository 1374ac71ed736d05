/**
 * Regulator and alliance tokens on the real network: a gateway accepts them
 * only when signed by the key of an identity active on the ledger (3 of 5
 * cities vouched, none revoked), with its registered role.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read as loosely typed JSON */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { CITY_IDS, type CityId } from '@jcc/domain';
import { mintToken } from '../../gateway/src/auth/tokens.js';
import { call, gateways, identityToken, registerTestIdentity, token, until, type Answer } from './harness.js';

/** An endpoint open to regulators everywhere. */
const AUDIT = '/api/v1/audit?limit=1';

function assertRefused(answer: Answer, where: CityId): void {
  assert.ok(answer.status === 401 || answer.status === 403, `${where}: expected 401/403, got ${answer.status}`);
  assert.match(answer.headers.get('content-type') ?? '', /application\/problem\+json/, `${where}: problem+json`);
}

describe('regulator and alliance identities', function () {
  this.timeout(240_000);

  before(async () => {
    await gateways();
  });

  it("refuses at every other gateway a regulator token minted with a city gateway's key", async () => {
    const all = await gateways();
    const others = CITY_IDS.filter((c) => c !== 'qingdao');
    const forged = await mintToken({
      key: all.qingdao.services.keys.current('gateway'),
      city: 'qingdao',
      role: 'regulator',
      audience: [...CITY_IDS],
      ttlSeconds: 600,
    });
    for (const city of others) assertRefused(await call(city, 'GET', AUDIT, { token: forged }), city);
  });

  it("accepts a registered regulator's token at all five gateways", async () => {
    const t = await identityToken('test-regulator', 'regulator');
    for (const city of CITY_IDS) assert.equal((await call(city, 'GET', AUDIT, { token: t })).status, 200, city);
    const alliance = await token('yantai', 'alliance');
    assert.equal((await call('yantai', 'GET', AUDIT, { token: alliance })).status, 403, 'an alliance member is no regulator');
  });

  it('refuses a token whose role differs from the registered role', async () => {
    const asRegulator = await identityToken('test-alliance', 'regulator');
    for (const city of CITY_IDS) assertRefused(await call(city, 'GET', AUDIT, { token: asRegulator }), city);
  });

  it("refuses a revoked identity's token everywhere", async () => {
    const id = `test-revoked-${randomUUID().slice(0, 8)}`;
    await registerTestIdentity(id, 'regulator');
    const t = await identityToken(id, 'regulator');
    // Registration returns once the last approving city sees the identity active; Rizhao's
    // peer commits that block in its own time.
    const accepted = await until(
      () => call('rizhao', 'GET', AUDIT, { token: t }),
      (a) => a.status === 200,
      30_000,
      'rizhao accepts',
    ).catch(() => call('rizhao', 'GET', AUDIT, { token: t }));
    assert.equal(accepted.status, 200, 'accepted while active');
    const all = await gateways();
    const operator = await mintToken({
      key: all.yantai.services.keys.current('gateway'),
      city: 'yantai',
      role: 'operator',
      ttlSeconds: 600,
    });
    const revoked = await call('yantai', 'POST', `/api/v1/identities/${id}/revocation`, {
      token: operator,
      body: { reason: 'keyCompromise' },
    });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal((revoked.body as any).active, false);
    for (const city of CITY_IDS) {
      // Each gateway reads through its own peer, which commits the revocation's block in its own time.
      const answer = await until(
        () => call(city, 'GET', AUDIT, { token: t }),
        (a) => a.status !== 200,
        30_000,
        `${city} refuses`,
      );
      assertRefused(answer, city);
    }
  });
});
