import assert from 'node:assert/strict';
import { canonicalJson, CITY_IDS, type CityView, type KeyRecord } from '@jcc/domain';
import { noOp, singleEvent as eventOf } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import { contracts, documentKeyInput, documentKid, ed25519Jwk, p256Jwk, sm2Jwk, type Contracts } from '../lib/testing/fixtures.js';

describe('cities contract', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(() => {
    ledger = new FakeLedger();
    c = contracts();
  });

  describe('RegisterKey', () => {
    it('registers a public Ed25519 key of the submitting city, with the transaction time and id', async () => {
      const inv = await ledger.call('qingdao', c.cities, 'RegisterKey', documentKeyInput('qingdao'));
      assert.equal(inv.error, undefined);
      const record = inv.result as KeyRecord;
      assert.deepEqual(record, {
        city: 'qingdao',
        kid: documentKid('qingdao'),
        use: 'document',
        jwk: ed25519Jwk(documentKid('qingdao')),
        validFrom: '2026-01-01T00:00:00.000Z',
        registeredAt: inv.timestamp,
        txId: inv.txId,
      });
      assert.equal(inv.resultText, canonicalJson(record), 'the result is canonical JSON');
      const event = eventOf(inv);
      assert.equal(event.name, 'CityKeyRegistered');
      assert.deepEqual(event.payload, { ...record, city: 'qingdao', txId: inv.txId });
    });

    it('registers a P-256 gateway key with a validity window', async () => {
      const input = { use: 'gateway', jwk: p256Jwk('yt-gw-1'), validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z' };
      const record = await ledger.ok<KeyRecord>('yantai', c.cities, 'RegisterKey', input);
      assert.equal(record.use, 'gateway');
      assert.equal(record.validTo, '2027-01-01T00:00:00.000Z');
      assert.deepEqual(record.jwk, input.jwk);
    });

    it('registers SM2 document keys (kty EC, crv SM2) beside the Ed25519 one, rotates and revokes them by the same rules', async () => {
      await ledger.ok('weifang', c.cities, 'RegisterKey', documentKeyInput('weifang'));
      const first = { use: 'document', jwk: { ...sm2Jwk('wf-sm2-1'), alg: 'SM2SM3', use: 'sig' }, validFrom: '2026-01-01T00:00:00Z' };
      const record = await ledger.ok<KeyRecord>('weifang', c.cities, 'RegisterKey', first);
      assert.deepEqual(record.jwk, first.jwk);
      noOp(await ledger.call('weifang', c.cities, 'RegisterKey', first));
      const conflict = await ledger.call('weifang', c.cities, 'RegisterKey', {
        ...first,
        jwk: { ...sm2Jwk('wf-sm2-1', 'other'), alg: 'SM2SM3', use: 'sig' },
      });
      assert.equal(conflict.error?.code, 'CONFLICT');
      // Rotation: a second SM2 key with its own window; the first one is revoked from a given instant and stays.
      await ledger.ok('weifang', c.cities, 'RegisterKey', { use: 'document', jwk: sm2Jwk('wf-sm2-2'), validFrom: '2026-06-01T00:00:00Z' });
      const revoked = await ledger.ok<KeyRecord>('weifang', c.cities, 'RevokeKey', { kid: 'wf-sm2-1', revokedAt: '2026-06-01T00:00:00Z' });
      assert.equal(revoked.revokedAt, '2026-06-01T00:00:00.000Z');
      const city = await ledger.ok<CityView>('qingdao', c.cities, 'GetCity', { city: 'weifang' });
      assert.deepEqual(
        city.keys.map((k) => [k.kid, k.jwk.crv]),
        [
          [documentKid('weifang'), 'Ed25519'],
          ['wf-sm2-1', 'SM2'],
          ['wf-sm2-2', 'SM2'],
        ],
      );
    });

    it('refuses an SM2 key whose point is not on the curve, or with a private member, and writes nothing', async () => {
      const jwk = sm2Jwk('qd-sm2');
      const offCurve = await ledger.call('qingdao', c.cities, 'RegisterKey', {
        use: 'document',
        jwk: { ...jwk, y: jwk.x },
        validFrom: '2026-01-01T00:00:00Z',
      });
      assert.equal(offCurve.error?.code, 'INVALID_ARGUMENT');
      assert.match(offCurve.error?.message ?? '', /jwk\.y: x\/y must be a point of the SM2 curve/);
      const withD = await ledger.call('qingdao', c.cities, 'RegisterKey', {
        use: 'document',
        jwk: { ...jwk, d: jwk.x },
        validFrom: '2026-01-01T00:00:00Z',
      });
      assert.match(withD.error?.message ?? '', /jwk\.d: .*private/);
      const wrongAlg = await ledger.call('qingdao', c.cities, 'RegisterKey', {
        use: 'document',
        jwk: { ...jwk, alg: 'ES256' },
        validFrom: '2026-01-01T00:00:00Z',
      });
      assert.match(wrongAlg.error?.message ?? '', /jwk\.alg: must be SM2SM3/);
      assert.equal(ledger.world.values.size, 0);
    });

    it('is idempotent for the same key (no write, no event), and a conflict for another key under the same kid', async () => {
      const first = await ledger.call('qingdao', c.cities, 'RegisterKey', documentKeyInput('qingdao'));
      const before = ledger.snapshot();
      const again = await ledger.call('qingdao', c.cities, 'RegisterKey', documentKeyInput('qingdao'));
      assert.deepEqual(again.result, first.result);
      assert.equal(again.writes.size, 0);
      assert.equal(again.events.length, 0);
      const other = await ledger.call('qingdao', c.cities, 'RegisterKey', {
        ...documentKeyInput('qingdao'),
        jwk: ed25519Jwk(documentKid('qingdao'), 'other seed'),
      });
      assert.equal(other.error?.code, 'CONFLICT');
      assert.match(other.error?.message ?? '', /jwk/);
      assert.deepEqual(ledger.snapshot(), before);
    });

    it('keeps kids per city: two cities may use the same kid', async () => {
      await ledger.ok('qingdao', c.cities, 'RegisterKey', { ...documentKeyInput('qingdao'), jwk: ed25519Jwk('shared', 'q') });
      await ledger.ok('yantai', c.cities, 'RegisterKey', { ...documentKeyInput('yantai'), jwk: ed25519Jwk('shared', 'y') });
      const q = await ledger.ok<KeyRecord>('weihai', c.cities, 'GetKey', { city: 'qingdao', kid: 'shared' });
      const y = await ledger.ok<KeyRecord>('weihai', c.cities, 'GetKey', { city: 'yantai', kid: 'shared' });
      assert.notEqual(q.jwk.x, y.jwk.x);
    });

    it('refuses a private key (d) by name, and writes nothing', async () => {
      const input = documentKeyInput('qingdao');
      const inv = await ledger.call('qingdao', c.cities, 'RegisterKey', { ...input, jwk: { ...input.jwk, d: 'A'.repeat(43) } });
      assert.equal(inv.error?.code, 'INVALID_ARGUMENT');
      assert.match(inv.error?.message ?? '', /jwk\.d: .*private/);
      assert.equal(ledger.world.values.size, 0);
    });

    it('refuses an unknown MSP with UNKNOWN_CITY', async () => {
      const inv = await ledger.call('RegulatorMSP', c.cities, 'RegisterKey', documentKeyInput('qingdao'));
      assert.equal(inv.error?.code, 'UNKNOWN_CITY');
      assert.equal(ledger.world.values.size, 0);
    });
  });

  describe('RevokeKey', () => {
    beforeEach(async () => {
      await ledger.ok('qingdao', c.cities, 'RegisterKey', documentKeyInput('qingdao'));
    });

    it('revokes at the transaction time by default; the key stays', async () => {
      const inv = await ledger.call('qingdao', c.cities, 'RevokeKey', { kid: documentKid('qingdao') });
      const record = inv.result as KeyRecord;
      assert.equal(record.revokedAt, inv.timestamp);
      assert.equal(record.revokedTxId, inv.txId);
      assert.equal(record.registeredAt !== undefined, true);
      const event = eventOf(inv);
      assert.equal(event.name, 'CityKeyRevoked');
      assert.deepEqual(event.payload, { ...record, city: 'qingdao', txId: inv.txId });
      const read = await ledger.ok<KeyRecord>('rizhao', c.cities, 'GetKey', { city: 'qingdao', kid: documentKid('qingdao') });
      assert.deepEqual(read, record);
    });

    it('revokes from a given instant (e.g. a suspected compromise)', async () => {
      const record = await ledger.ok<KeyRecord>('qingdao', c.cities, 'RevokeKey', {
        kid: documentKid('qingdao'),
        revokedAt: '2026-06-01T00:00:00Z',
      });
      assert.equal(record.revokedAt, '2026-06-01T00:00:00.000Z');
    });

    it('refuses a revocation before the key was valid, a second revocation, and an unknown kid', async () => {
      const early = await ledger.call('qingdao', c.cities, 'RevokeKey', { kid: documentKid('qingdao'), revokedAt: '2025-01-01T00:00:00Z' });
      assert.equal(early.error?.code, 'INVALID_ARGUMENT');
      assert.match(early.error?.message ?? '', /revokedAt/);
      await ledger.ok('qingdao', c.cities, 'RevokeKey', { kid: documentKid('qingdao') });
      const twice = await ledger.call('qingdao', c.cities, 'RevokeKey', { kid: documentKid('qingdao') });
      assert.equal(twice.error?.code, 'INVALID_STATE');
      const unknown = await ledger.call('qingdao', c.cities, 'RevokeKey', { kid: 'nope' });
      assert.equal(unknown.error?.code, 'NOT_FOUND');
    });
  });

  describe('SetGatewayUrl', () => {
    it('sets the URL; the same URL again is a no-op; a new URL replaces it', async () => {
      const inv = await ledger.call('weihai', c.cities, 'SetGatewayUrl', { url: 'https://weihai.example:8103/' });
      const event = eventOf(inv);
      assert.equal(event.name, 'CityGatewayUrlSet');
      assert.deepEqual(event.payload, {
        city: 'weihai',
        gatewayUrl: 'https://weihai.example:8103/',
        updatedAt: inv.timestamp,
        txId: inv.txId,
      });
      const again = await ledger.call('weihai', c.cities, 'SetGatewayUrl', { url: 'https://weihai.example:8103/' });
      assert.equal(again.writes.size, 0);
      assert.equal(again.events.length, 0);
      await ledger.ok('weihai', c.cities, 'SetGatewayUrl', { url: 'http://127.0.0.1:8103' });
      const city = await ledger.ok<CityView>('qingdao', c.cities, 'GetCity', { city: 'weihai' });
      assert.equal(city.gatewayUrl, 'http://127.0.0.1:8103');
    });

    it('refuses other schemes and URLs with credentials', async () => {
      for (const url of ['ftp://weihai.example/', 'https://user:pw@weihai.example/', 'not a url']) {
        const inv = await ledger.call('weihai', c.cities, 'SetGatewayUrl', { url });
        assert.equal(inv.error?.code, 'INVALID_ARGUMENT', url);
        assert.match(inv.error?.message ?? '', /^INVALID_ARGUMENT: url: /);
      }
      assert.equal(ledger.world.values.size, 0);
    });
  });

  describe('queries', () => {
    it('GetCity returns the static data, the gateway URL and every key (revoked ones too) in kid order', async () => {
      await ledger.ok('yantai', c.cities, 'RegisterKey', { ...documentKeyInput('yantai'), jwk: ed25519Jwk('b-key') });
      await ledger.ok('yantai', c.cities, 'RegisterKey', { ...documentKeyInput('yantai'), jwk: ed25519Jwk('a-key') });
      await ledger.ok('yantai', c.cities, 'RevokeKey', { kid: 'b-key' });
      const inv = await ledger.call('qingdao', c.cities, 'GetCity', { city: 'yantai' });
      const city = inv.result as CityView;
      assert.deepEqual(
        { ...city, keys: city.keys.map((k) => [k.kid, k.revokedAt !== undefined]) },
        {
          id: 'yantai',
          name: 'Yantai',
          nameZh: '烟台',
          divisionCode: '370600',
          mspId: 'YantaiMSP',
          keys: [
            ['a-key', false],
            ['b-key', true],
          ],
        },
      );
      assert.equal(inv.writes.size, 0);
      assert.equal(inv.events.length, 0);
    });

    it('ListCities returns the five cities in the fixed order', async () => {
      await ledger.ok('rizhao', c.cities, 'RegisterKey', documentKeyInput('rizhao'));
      const list = await ledger.ok<{ records: CityView[] }>('qingdao', c.cities, 'ListCities', {});
      assert.deepEqual(
        list.records.map((r) => r.id),
        [...CITY_IDS],
      );
      assert.equal(list.records[4]?.keys.length, 1);
    });

    it('GetKey answers NOT_FOUND for an unknown key, and queries refuse unknown fields', async () => {
      assert.equal((await ledger.call('qingdao', c.cities, 'GetKey', { city: 'weifang', kid: 'none' })).error?.code, 'NOT_FOUND');
      assert.equal((await ledger.call('qingdao', c.cities, 'GetCity', { city: 'beijing' })).error?.code, 'INVALID_ARGUMENT');
      assert.equal((await ledger.call('qingdao', c.cities, 'ListCities', { page: 1 })).error?.code, 'INVALID_ARGUMENT');
    });

    it('queries are open to any channel member, even one outside the five cities', async () => {
      const inv = await ledger.call('RegulatorMSP', c.cities, 'GetCity', { city: 'qingdao' });
      assert.equal(inv.error, undefined);
    });
  });
});
