import assert from 'node:assert/strict';
import { canonicalJsonBytes, jwkThumbprint, type CityView, type IdentityView, type KeyRecord } from '@jcc/domain';
import { refused } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import { contracts, documentKeyInput, documentKid, ed25519Jwk, type Contracts } from '../lib/testing/fixtures.js';

/**
 * What other cities can do in a city's name with a modified chaincode: write
 * any key whose creation only the chaincode policy governs. Here Weifang
 * writes a key record in Qingdao's namespace directly (as a chaincode that
 * skips the owner check would); Qingdao's key set, which only Qingdao's peer
 * can change, does not list it.
 */
async function forgeKey(ledger: FakeLedger, kid: string, seed = 'forged'): Promise<void> {
  const inv = await ledger.invoke('weifang', async (ctx) => {
    const record: KeyRecord = {
      city: 'qingdao',
      kid,
      use: 'document',
      jwk: ed25519Jwk(kid, seed) as KeyRecord['jwk'],
      validFrom: '2026-01-01T00:00:00.000Z',
      registeredAt: '2026-01-01T00:00:00.000Z',
      txId: ctx.stub.getTxID(),
    };
    await ctx.stub.putState(ctx.stub.createCompositeKey('cityKey', ['qingdao', kid]), canonicalJsonBytes(record));
    return '{}';
  });
  assert.equal(inv.error, undefined);
}

const REGULATOR = {
  id: 'reg-shandong-1',
  role: 'regulator',
  jwk: ed25519Jwk('reg-shandong-1-k1'),
  validFrom: '2026-01-01T00:00:00Z',
  validTo: '2027-01-01T00:00:00Z',
};

describe('key provenance: only a city can make a key count as its own', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(async () => {
    ledger = new FakeLedger();
    c = contracts();
    await ledger.ok('qingdao', c.cities, 'RegisterKey', documentKeyInput('qingdao'));
  });

  it('lists each registered key in the city key set, by JWK thumbprint', async () => {
    const keySet = await ledger.ok<{ keys: Record<string, string> }>('yantai', c.cities, 'GetKeySet', { city: 'qingdao' });
    assert.deepEqual(Object.keys(keySet.keys), [documentKid('qingdao')]);
  });

  it('a key record written in Qingdao’s name by another city is not returned by GetKey, GetCity or ListCities', async () => {
    await forgeKey(ledger, 'qingdao-forged');
    refused(await ledger.call('yantai', c.cities, 'GetKey', { city: 'qingdao', kid: 'qingdao-forged' }), 'NOT_FOUND');
    const city = await ledger.ok<CityView>('yantai', c.cities, 'GetCity', { city: 'qingdao' });
    assert.deepEqual(
      city.keys.map((k) => k.kid),
      [documentKid('qingdao')],
    );
    const all = await ledger.ok<{ records: CityView[] }>('yantai', c.cities, 'ListCities', {});
    assert.ok(all.records.every((v) => v.keys.every((k) => k.kid !== 'qingdao-forged')));
  });

  it('a forged key swapped under a registered kid is refused: the thumbprint no longer matches', async () => {
    await forgeKey(ledger, documentKid('qingdao'), 'swapped');
    refused(await ledger.call('yantai', c.cities, 'GetKey', { city: 'qingdao', kid: documentKid('qingdao') }), 'NOT_FOUND');
  });

  it('Qingdao cannot revoke or rotate from a forged key, and registering another key under its kid is a conflict', async () => {
    await forgeKey(ledger, 'qingdao-forged');
    refused(await ledger.call('qingdao', c.cities, 'RevokeKey', { kid: 'qingdao-forged' }), 'NOT_FOUND');
    refused(
      await ledger.call('qingdao', c.cities, 'RotateKey', {
        use: 'document',
        jwk: ed25519Jwk('qd-next'),
        validFrom: '2026-02-01T00:00:00Z',
        previousKid: 'qingdao-forged',
      }),
      'NOT_FOUND',
    );
    refused(
      await ledger.call('qingdao', c.cities, 'RegisterKey', {
        use: 'document',
        jwk: ed25519Jwk('qingdao-forged'),
        validFrom: '2026-01-01T00:00:00Z',
      }),
      'CONFLICT',
    );
  });

  it('rotation closes the old key for signing from the new key’s validFrom; both stay registered', async () => {
    const rotated = await ledger.ok<KeyRecord & { previous: KeyRecord }>('qingdao', c.cities, 'RotateKey', {
      use: 'document',
      jwk: ed25519Jwk('qingdao-doc-2'),
      validFrom: '2026-06-01T00:00:00Z',
      previousKid: documentKid('qingdao'),
    });
    assert.equal(rotated.kid, 'qingdao-doc-2');
    const old = await ledger.ok<KeyRecord>('yantai', c.cities, 'GetKey', { city: 'qingdao', kid: documentKid('qingdao') });
    assert.equal(old.validTo, '2026-06-01T00:00:00.000Z');
    assert.equal(old.supersededBy, 'qingdao-doc-2');
    assert.deepEqual(rotated.previous, old);
    await ledger.ok('yantai', c.cities, 'GetKey', { city: 'qingdao', kid: 'qingdao-doc-2' });
    refused(
      await ledger.call('qingdao', c.cities, 'RotateKey', {
        use: 'document',
        jwk: ed25519Jwk('qingdao-doc-3'),
        validFrom: '2026-07-01T00:00:00Z',
        previousKid: documentKid('qingdao'),
      }),
      'INVALID_STATE',
      /already rotated/,
    );
  });

  it('a first key set other cities create in Yantai’s name (no seal) is ignored, and Yantai’s own first registration replaces it', async () => {
    // Yantai has no key set yet: Weifang and Rizhao (modified chaincode) create one with their key in it, and an identity approval.
    await ledger.invoke('weifang', async (ctx) => {
      const forged: KeyRecord = {
        city: 'yantai',
        kid: 'yantai-forged',
        use: 'document',
        jwk: ed25519Jwk('yantai-forged', 'forged') as KeyRecord['jwk'],
        validFrom: '2026-01-01T00:00:00.000Z',
        registeredAt: '2026-01-01T00:00:00.000Z',
        txId: ctx.stub.getTxID(),
      };
      await ctx.stub.putState(ctx.stub.createCompositeKey('cityKey', ['yantai', forged.kid]), canonicalJsonBytes(forged));
      const keySet = {
        city: 'yantai',
        keys: { [forged.kid]: jwkThumbprint(forged.jwk) },
        approvedIdentities: { [REGULATOR.id]: jwkThumbprint(REGULATOR.jwk as KeyRecord['jwk']) },
        revokedIdentities: {},
        updatedAt: '2026-01-01T00:00:00.000Z',
        txId: ctx.stub.getTxID(),
      };
      await ctx.stub.putState(ctx.stub.createCompositeKey('cityKeySet', ['yantai']), canonicalJsonBytes(keySet));
      return '{}';
    });
    refused(await ledger.call('qingdao', c.cities, 'GetKey', { city: 'yantai', kid: 'yantai-forged' }), 'NOT_FOUND');
    refused(await ledger.call('qingdao', c.cities, 'GetKeySet', { city: 'yantai' }), 'NOT_FOUND');
    const city = await ledger.ok<CityView>('qingdao', c.cities, 'GetCity', { city: 'yantai' });
    assert.deepEqual(city.keys, []);
    await ledger.ok('qingdao', c.identities, 'ProposeIdentity', REGULATOR);
    const identity = await ledger.ok<IdentityView>('qingdao', c.identities, 'GetIdentity', { id: REGULATOR.id });
    assert.deepEqual(identity.approvals, ['qingdao'], 'the forged key set vouches for nothing');

    await ledger.ok('yantai', c.cities, 'RegisterKey', documentKeyInput('yantai'));
    const keySet = await ledger.ok<{ keys: Record<string, string> }>('qingdao', c.cities, 'GetKeySet', { city: 'yantai' });
    assert.deepEqual(Object.keys(keySet.keys), [documentKid('yantai')], 'the forged entries are gone');
    refused(await ledger.call('qingdao', c.cities, 'GetKey', { city: 'yantai', kid: 'yantai-forged' }), 'NOT_FOUND');
  });

  it('a key set whose bytes no longer match its seal is ignored', async () => {
    await ledger.invoke('weifang', async (ctx) => {
      const key = ctx.stub.createCompositeKey('cityKeySet', ['qingdao']);
      const record = JSON.parse(Buffer.from(await ctx.stub.getState(key)).toString('utf8')) as { keys: Record<string, string> };
      await ctx.stub.putState(key, canonicalJsonBytes({ ...record, keys: { ...record.keys, extra: 'x' } }));
      return '{}';
    });
    refused(await ledger.call('yantai', c.cities, 'GetKey', { city: 'qingdao', kid: documentKid('qingdao') }), 'NOT_FOUND');
  });

  it('revocation records its reason code', async () => {
    const revoked = await ledger.ok<KeyRecord>('qingdao', c.cities, 'RevokeKey', { kid: documentKid('qingdao'), reason: 'keyCompromise' });
    assert.equal(revoked.revocationReason, 'keyCompromise');
    assert.ok(revoked.revokedAt);
  });
});

describe('identities: regulators and alliance members need a quorum of cities', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(() => {
    ledger = new FakeLedger();
    c = contracts();
  });

  it('is active once three cities vouch for it, and one revocation ends it', async () => {
    let view = await ledger.ok<IdentityView>('qingdao', c.identities, 'ProposeIdentity', REGULATOR);
    assert.deepEqual([view.approvals, view.active, view.city], [['qingdao'], false, 'qingdao']);
    view = await ledger.ok<IdentityView>('yantai', c.identities, 'ApproveIdentity', { id: REGULATOR.id });
    assert.equal(view.active, false);
    view = await ledger.ok<IdentityView>('rizhao', c.identities, 'ApproveIdentity', { id: REGULATOR.id });
    assert.deepEqual([view.approvals, view.active], [['qingdao', 'yantai', 'rizhao'], true]);
    view = await ledger.ok<IdentityView>('weihai', c.identities, 'GetIdentity', { id: REGULATOR.id });
    assert.equal(view.active, true);
    refused(await ledger.call('weihai', c.identities, 'RevokeIdentity', { id: REGULATOR.id }), 'INVALID_STATE', /never vouched/);
    view = await ledger.ok<IdentityView>('yantai', c.identities, 'RevokeIdentity', { id: REGULATOR.id, reason: 'keyCompromise' });
    assert.equal(view.active, false);
    assert.deepEqual(
      view.revocations.map((r) => [r.city, r.reason]),
      [['yantai', 'keyCompromise']],
    );
    refused(await ledger.call('yantai', c.identities, 'ApproveIdentity', { id: REGULATOR.id }), 'INVALID_STATE');
  });

  it('counts an approval only for the key as proposed: a record whose key was swapped afterwards loses its approvals', async () => {
    await ledger.ok('qingdao', c.identities, 'ProposeIdentity', REGULATOR);
    await ledger.ok('yantai', c.identities, 'ApproveIdentity', { id: REGULATOR.id });
    await ledger.ok('rizhao', c.identities, 'ApproveIdentity', { id: REGULATOR.id });
    // Two cities with a modified chaincode rewrite the identity record with their own key.
    await ledger.invoke('weifang', async (ctx) => {
      const key = ctx.stub.createCompositeKey('identity', [REGULATOR.id]);
      const record = JSON.parse(Buffer.from(await ctx.stub.getState(key)).toString('utf8')) as Record<string, unknown>;
      await ctx.stub.putState(key, canonicalJsonBytes({ ...record, jwk: ed25519Jwk('reg-shandong-1-k1', 'attacker') }));
      return '{}';
    });
    const view = await ledger.ok<IdentityView>('weihai', c.identities, 'GetIdentity', { id: REGULATOR.id });
    assert.deepEqual([view.approvals, view.active], [[], false]);
  });

  it('an unknown identity is NOT_FOUND; a different re-proposal is a CONFLICT', async () => {
    refused(await ledger.call('weihai', c.identities, 'GetIdentity', { id: 'nobody' }), 'NOT_FOUND');
    await ledger.ok('qingdao', c.identities, 'ProposeIdentity', REGULATOR);
    refused(await ledger.call('yantai', c.identities, 'ProposeIdentity', { ...REGULATOR, role: 'alliance' }), 'CONFLICT');
  });
});
