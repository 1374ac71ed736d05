import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, UnsecuredJWT, base64url } from 'jose';
import { generateKeyPair, exportJWK } from 'jose';
import type { CityId, IdentityView, KeyRecord, PublicJwk } from '@jcc/domain';
import { KeyStore } from '../keys/keystore.js';
import { ForbiddenError, UnauthenticatedError } from './errors.js';
import { authorize } from './policy.js';
import { ROLES, type Principal, type Role } from './roles.js';
import { TokenVerifier, mintIdentityToken, mintToken } from './tokens.js';

describe('tokens', () => {
  let dir: string;
  const stores: Partial<Record<CityId, KeyStore>> = {};
  const ledger = new Map<string, KeyRecord>();
  const identities = new Map<string, IdentityView>();

  /** What the ledger says about gateway keys: registered for both cities. */
  const verifierFor = (city: CityId, now = Date.now) =>
    new TokenVerifier(
      city,
      {
        own: (kid) => stores[city]?.find(kid),
        registered: async (c, kid) => ledger.get(`${c}|${kid}`),
        identity: async (id) => identities.get(id),
      },
      now,
    );

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jcc-tokens-'));
    for (const city of ['qingdao', 'yantai'] as const) {
      const store = await KeyStore.open(join(dir, city), city);
      stores[city] = store;
      for (const key of store.all()) {
        ledger.set(`${city}|${key.kid}`, {
          city,
          kid: key.kid,
          use: key.use,
          jwk: key.publicJwk,
          validFrom: key.createdAt,
          registeredAt: key.createdAt,
          txId: 't',
        });
      }
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const mint = (city: CityId, role: Role, extra: Partial<Parameters<typeof mintToken>[0]> = {}) =>
    mintToken({ key: (stores[city] as KeyStore).current('gateway'), city, role, ttlSeconds: 600, ...extra });

  it('accepts a token of its own city and reports the principal', async () => {
    const principal = await verifierFor('qingdao').verify(await mint('qingdao', 'operator'));
    assert.deepEqual(
      { ...principal, tokenId: undefined },
      { role: 'operator', city: 'qingdao', subject: 'operator@qingdao', tokenId: undefined },
    );
  });

  it('accepts a gateway token of another city through the key its city registered on the ledger', async () => {
    const principal = await verifierFor('qingdao').verify(await mint('yantai', 'gateway', { audience: ['qingdao'] }));
    assert.equal(principal.city, 'yantai');
    assert.equal(principal.role, 'gateway');
  });

  it('refuses a token for another audience, an expired one, and a tampered one', async () => {
    const v = verifierFor('qingdao');
    await assert.rejects(v.verify(await mint('yantai', 'regulator')), UnauthenticatedError); // aud yantai
    await assert.rejects(v.verify(await mint('qingdao', 'operator', { ttlSeconds: 10, now: Date.now() - 3600_000 })), /exp/);
    const token = await mint('qingdao', 'operator');
    const [h, , s] = token.split('.');
    const forged = `${h}.${base64url.encode(JSON.stringify({ iss: 'jcc:gateway:qingdao', aud: 'jcc:gateway:qingdao', sub: 'x', role: 'regulator', city: 'qingdao', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 }))}.${s}`;
    await assert.rejects(v.verify(forged), /signature/);
  });

  it('refuses a regulator or alliance token signed by a city gateway key, even its own', async () => {
    for (const role of ['regulator', 'alliance'] as const) {
      await assert.rejects(verifierFor('qingdao').verify(await mint('qingdao', role)), /cannot issue a/);
      await assert.rejects(verifierFor('qingdao').verify(await mint('yantai', role, { audience: ['qingdao'] })), /cannot issue a/);
    }
  });

  it('accepts the token of an active identity signed by its key, and only with its registered role, validity and no revocation', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const base: IdentityView = {
      id: 'reg-1',
      role: 'regulator',
      jwk: (await exportJWK(publicKey)) as PublicJwk,
      validFrom: new Date(Date.now() - 3600_000).toISOString(),
      validTo: new Date(Date.now() + 3600_000).toISOString(),
      city: 'yantai',
      registeredAt: new Date().toISOString(),
      txId: 't',
      approvals: ['yantai', 'weihai', 'rizhao'],
      revocations: [],
      quorum: 3,
      active: true,
    };
    const identityToken = (role: 'regulator' | 'alliance' = 'regulator') =>
      mintIdentityToken({ id: 'reg-1', role, privateKey, audience: ['qingdao'], ttlSeconds: 600 });
    identities.set('reg-1', base);
    const principal = await verifierFor('qingdao').verify(await identityToken());
    assert.equal(principal.role, 'regulator');
    assert.equal(principal.identity, 'reg-1');
    assert.equal(principal.city, undefined);
    await assert.rejects(verifierFor('qingdao').verify(await identityToken('alliance')), /not the role registered/);
    identities.set('reg-1', { ...base, approvals: ['yantai', 'weihai'], active: false });
    await assert.rejects(verifierFor('qingdao').verify(await identityToken()), /not active/);
    identities.set('reg-1', {
      ...base,
      revocations: [{ city: 'weihai', revokedAt: base.registeredAt, reason: 'keyCompromise' }],
      active: false,
    });
    await assert.rejects(verifierFor('qingdao').verify(await identityToken()), /revoked/);
    identities.set('reg-1', { ...base, validTo: new Date(Date.now() - 1000).toISOString() });
    await assert.rejects(verifierFor('qingdao').verify(await identityToken()), /not valid now/);
    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    identities.set('reg-1', base);
    const wrongKey = await mintIdentityToken({
      id: 'reg-1',
      role: 'regulator',
      privateKey: other.privateKey,
      audience: ['qingdao'],
      ttlSeconds: 600,
    });
    await assert.rejects(verifierFor('qingdao').verify(wrongKey), /signature/);
    await assert.rejects(
      verifierFor('qingdao').verify(
        await mintIdentityToken({ id: 'reg-1', role: 'regulator', privateKey, audience: ['qingdao'], ttlSeconds: 86_401 }),
      ),
      /lives longer/,
    );
  });

  it('refuses alg none, a token without kid, and a key the ledger does not know', async () => {
    const v = verifierFor('qingdao');
    const none = new UnsecuredJWT({ role: 'operator', city: 'qingdao' })
      .setIssuer('jcc:gateway:qingdao')
      .setAudience('jcc:gateway:qingdao')
      .setSubject('x')
      .setExpirationTime('1h')
      .encode();
    await assert.rejects(v.verify(none), /alg "none"/);
    const key = (stores.qingdao as KeyStore).current('gateway');
    const noKid = await new SignJWT({ role: 'operator', city: 'qingdao' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('jcc:gateway:qingdao')
      .setAudience('jcc:gateway:qingdao')
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(key.privateKey);
    await assert.rejects(v.verify(noKid), /kid/);
    const unknown = await new SignJWT({ role: 'gateway', city: 'yantai' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'yantai.gateway.unknown' })
      .setIssuedAt()
      .setIssuer('jcc:gateway:yantai')
      .setAudience('jcc:gateway:qingdao')
      .setSubject('x')
      .setExpirationTime('1h')
      .sign((stores.yantai as KeyStore).current('gateway').privateKey);
    await assert.rejects(v.verify(unknown), /registered no key/);
    await assert.rejects(v.verify('garbage'), /not a JWT/);
  });

  /** A gateway token of Yantai for Qingdao with this kid and these claims (signed with Yantai's gateway key). */
  const yantaiToken = (kid: string, claims: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ role: 'gateway', city: 'yantai', iat: now, exp: now + 600, ...claims })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setIssuer('jcc:gateway:yantai')
      .setAudience('jcc:gateway:qingdao')
      .setSubject('x')
      .sign((stores.yantai as KeyStore).current('gateway').privateKey);
  };

  it('asks the ledger about an unknown kid once, then refuses it from a bounded negative cache (finding 7)', async () => {
    let lookups = 0;
    let now = Date.now();
    const v = new TokenVerifier(
      'qingdao',
      { own: () => undefined, registered: async () => (lookups++, undefined), identity: async () => undefined },
      () => now,
      {
        unknownKidTtlMs: 60_000,
        maxUnknownKids: 2,
      },
    );
    const token = await yantaiToken('yantai.gateway.made-up');
    for (let i = 0; i < 5; i++) await assert.rejects(v.verify(token), UnauthenticatedError);
    assert.equal(lookups, 1, 'one ledger query for five tokens with the same unknown kid');
    now += 61_000;
    await assert.rejects(v.verify(token), /registered no key/);
    assert.equal(lookups, 2, 'asked again after the TTL');
    for (const kid of ['a1', 'a2', 'a3']) await assert.rejects(v.verify(await yantaiToken(kid)), UnauthenticatedError);
    await assert.rejects(v.verify(token), UnauthenticatedError);
    assert.equal(lookups, 6, 'the oldest kid was forgotten: the cache holds at most 2');
  });

  it('refuses a malformed kid with 401 before any ledger query (finding 7)', async () => {
    let lookups = 0;
    const v = new TokenVerifier('qingdao', {
      own: () => undefined,
      registered: async () => (lookups++, undefined),
      identity: async () => undefined,
    });
    for (const kid of ['bad kid', 'x'.repeat(129), 'k/1', 'ключ'])
      await assert.rejects(
        v.verify(await yantaiToken(kid)),
        (err: Error) => err instanceof UnauthenticatedError && /kid is malformed/.test(err.message),
      );
    assert.equal(lookups, 0);
  });

  it('caps token lifetime, and refuses a missing iat or exp and an iat in the future (finding 11)', async () => {
    const v = new TokenVerifier(
      'qingdao',
      {
        own: (kid) => stores.qingdao?.find(kid),
        registered: async (c, kid) => ledger.get(`${c}|${kid}`),
        identity: async (id) => identities.get(id),
      },
      Date.now,
      { maxLifetimeSeconds: 3600 },
    );
    const kid = (stores.yantai as KeyStore).current('gateway').kid;
    const now = Math.floor(Date.now() / 1000);
    await v.verify(await yantaiToken(kid, { iat: now, exp: now + 3600 }));
    await assert.rejects(v.verify(await yantaiToken(kid, { iat: now, exp: now + 3601 })), /lives longer/);
    await assert.rejects(v.verify(await yantaiToken(kid, { iat: now - 10 * 86_400, exp: now + 60 })), /lives longer/);
    await assert.rejects(v.verify(await yantaiToken(kid, { iat: now + 600, exp: now + 900 })), /in the future/);
    await assert.rejects(v.verify(await yantaiToken(kid, { iat: undefined })), /no iat/);
    await assert.rejects(v.verify(await yantaiToken(kid, { exp: undefined })), /no exp/);
    await assert.rejects(verifierFor('qingdao').verify(await mint('qingdao', 'operator', { ttlSeconds: 30 * 86_400 })), /lives longer/);
  });

  it('refuses a token signed with a document key, and one whose key the ledger revoked', async () => {
    const v = verifierFor('qingdao');
    const docKey = (stores.yantai as KeyStore).current('document');
    await assert.rejects(
      v.verify(await mintToken({ key: docKey, city: 'yantai', role: 'gateway', audience: ['qingdao'], ttlSeconds: 60 })),
      /not registered for gateway use/,
    );
    const gwKid = (stores.yantai as KeyStore).current('gateway').kid;
    const record = ledger.get(`yantai|${gwKid}`) as KeyRecord;
    ledger.set(`yantai|${gwKid}`, { ...record, revokedAt: new Date(Date.now() - 1000).toISOString() });
    try {
      await assert.rejects(v.verify(await mint('yantai', 'gateway', { audience: ['qingdao'] })), /revoked/);
    } finally {
      ledger.set(`yantai|${gwKid}`, record);
    }
  });
});

describe('authorize', () => {
  const principal = (role: Role, city: CityId): Principal => ({ role, city, subject: `${role}@${city}`, tokenId: undefined });

  it('follows the role/city matrix', () => {
    const everything = ROLES;
    // operator: own city only
    assert.doesNotThrow(() => authorize(principal('operator', 'qingdao'), 'qingdao', ['operator']));
    assert.throws(() => authorize(principal('operator', 'yantai'), 'qingdao', ['operator']), ForbiddenError);
    // gateway: other cities only
    assert.doesNotThrow(() => authorize(principal('gateway', 'yantai'), 'qingdao', ['gateway']));
    assert.throws(() => authorize(principal('gateway', 'qingdao'), 'qingdao', everything), ForbiddenError);
    // regulator and alliance: from any city, where their role is allowed
    assert.doesNotThrow(() => authorize(principal('regulator', 'weihai'), 'qingdao', ['operator', 'regulator']));
    assert.throws(() => authorize(principal('regulator', 'weihai'), 'qingdao', ['operator']), ForbiddenError);
    assert.doesNotThrow(() => authorize(principal('alliance', 'rizhao'), 'qingdao', ['alliance', 'regulator', 'operator']));
    assert.throws(() => authorize(principal('alliance', 'rizhao'), 'qingdao', ['operator', 'regulator']), ForbiddenError);
  });
});
