import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerKeyInput, type KeyRecord } from '@jcc/domain';
import { ScriptedLedger, refusal } from '../lib/testing.js';
import { KeyStore } from './keystore.js';
import { registerKeys, rotateKey } from './registration.js';

describe('KeyStore', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'jcc-ks-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('generates a document and a gateway key once, private files only readable by the owner', async () => {
    const [a, b] = await Promise.all([KeyStore.open(dir, 'qingdao'), KeyStore.open(dir, 'qingdao')]);
    assert.equal(a.current('document').kid, b.current('document').kid, 'concurrent openers agree');
    assert.match(a.current('document').kid, /^qingdao\.document\.[A-Za-z0-9_-]{43}$/);
    assert.match(a.current('gateway').kid, /^qingdao\.gateway\./);
    const files = (await readdir(join(dir, 'keys'))).filter((f) => f !== 'current.json');
    assert.equal(files.length, 2);
    assert.equal((await stat(join(dir, 'keys', files[0] as string))).mode & 0o077, 0);
    const reopened = await KeyStore.open(dir, 'qingdao');
    assert.equal(reopened.current('gateway').kid, a.current('gateway').kid);
    assert.equal(
      registerKeyInput.safeParse({ use: 'document', jwk: a.current('document').publicJwk, validFrom: a.current('document').createdAt })
        .success,
      true,
    );
  });

  it('lets many openers of one empty store agree on one key set, leaving no stray files', async () => {
    for (let round = 0; round < 5; round++) {
      const store = join(dir, `store-${round}`);
      const opened = await Promise.all(Array.from({ length: 8 }, (_, i) => KeyStore.open(store, 'rizhao', Date.now, { sm2: i % 2 === 0 })));
      const kids = (k: KeyStore) => `${k.current('document').kid} ${k.current('gateway').kid}`;
      const sm2Kids = new Set(opened.filter((_, i) => i % 2 === 0).map((k) => k.currentSm2()?.kid));
      assert.equal(sm2Kids.size, 1, 'the openers asking for an SM2 key got the same one');
      assert.ok([...sm2Kids][0]);
      for (const k of opened) {
        assert.equal(kids(k), kids(opened[0] as KeyStore), 'every opener has the same current keys');
        assert.equal(k.all().length, 2, 'and no key of a losing opener');
      }
      const reopened = await KeyStore.open(store, 'rizhao', Date.now, { sm2: true });
      assert.equal(kids(reopened), kids(opened[0] as KeyStore));
      assert.equal(reopened.currentSm2()?.kid, [...sm2Kids][0]);
      assert.deepEqual(await readdir(store), ['keys'], 'no staging folder is left behind');
      assert.deepEqual((await readdir(join(store, 'keys'))).length, 4, 'current.json and three key files, no lock or temporary file');
      assert.equal(reopened.allSm2().length, 1);
      assert.equal((await stat(join(store, 'keys'))).mode & 0o077, 0, 'the key folder is private');
    }
  });

  it('keeps an SM2 document key when asked (kty EC, crv SM2), generated once, and registers it with the others', async () => {
    const plain = await KeyStore.open(dir, 'weifang');
    assert.equal(plain.currentSm2(), undefined, 'no SM2 key unless asked for');
    const keys = await KeyStore.open(dir, 'weifang', Date.now, { sm2: true });
    const sm2 = keys.currentSm2();
    assert.ok(sm2);
    assert.match(sm2.kid, /^weifang\.document-sm2\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(Object.keys(sm2.publicJwk).sort(), ['alg', 'crv', 'kid', 'kty', 'x', 'y']);
    assert.equal((await KeyStore.open(dir, 'weifang', Date.now, { sm2: true })).currentSm2()?.kid, sm2.kid, 'generated once');
    assert.equal((await KeyStore.open(dir, 'weifang')).currentSm2()?.kid, sm2.kid, 'kept when the suite goes back to ed25519');
    assert.equal(registerKeyInput.safeParse({ use: 'document', jwk: sm2.publicJwk, validFrom: sm2.createdAt }).success, true);
    const registered: string[] = [];
    const ledger = new ScriptedLedger()
      .script('cities:GetKey', () => refusal('cities:GetKey', 'NOT_FOUND', 'no key'))
      .script('cities:RegisterKey', (input) => {
        registered.push((input.jwk as { kid: string }).kid);
        return { kid: (input.jwk as { kid: string }).kid, jwk: input.jwk } as KeyRecord;
      });
    await registerKeys(ledger, keys);
    assert.deepEqual([...registered].sort(), [keys.current('document').kid, keys.current('gateway').kid, sm2.kid].sort());
  });

  it('registers only the keys the ledger lacks, and rotates keeping old keys', async () => {
    const keys = await KeyStore.open(dir, 'yantai');
    const registered = new Map<string, KeyRecord>();
    const ledger = new ScriptedLedger()
      .script('cities:GetKey', (input) => registered.get(input.kid as string) ?? refusal('cities:GetKey', 'NOT_FOUND', 'no key'))
      .script('cities:RegisterKey', (input) => {
        const record = {
          city: 'yantai',
          kid: (input.jwk as { kid: string }).kid,
          use: input.use,
          jwk: input.jwk,
          validFrom: input.validFrom,
          registeredAt: 'now',
          txId: 't',
        } as KeyRecord;
        registered.set(record.kid, record);
        return record;
      })
      .script('cities:RotateKey', (input) => {
        const previous = { ...(registered.get(input.previousKid as string) as KeyRecord), validTo: input.validFrom as string };
        const record = { ...previous, kid: (input.jwk as { kid: string }).kid, jwk: input.jwk, validFrom: input.validFrom } as KeyRecord;
        delete record.validTo;
        registered.set(previous.kid, { ...previous, supersededBy: record.kid });
        registered.set(record.kid, record);
        return { ...record, previous: { ...previous, supersededBy: record.kid } };
      });
    assert.deepEqual(
      (await registerKeys(ledger, keys)).map((r) => r.outcome),
      ['registered', 'registered'],
    );
    assert.deepEqual(
      (await registerKeys(ledger, keys)).map((r) => r.outcome),
      ['already-registered', 'already-registered'],
    );
    const old = keys.current('document').kid;
    const record = await rotateKey(ledger, keys, 'document');
    assert.notEqual(record.kid, old);
    assert.equal(keys.current('document').kid, record.kid);
    assert.ok(keys.find(old), 'the old key stays');
    assert.equal((await KeyStore.open(dir, 'yantai')).current('document').kid, record.kid, 'rotation is persisted');
    assert.equal(record.previous.kid, old);
    assert.equal(record.previous.validTo, record.validFrom, 'the old key is closed where the new one starts');
    assert.deepEqual(ledger.calls.find((c) => c.transaction === 'cities:RotateKey')?.input.previousKid, old);
  });

  it('a rotation the ledger committed but the gateway did not finish is finished at the next registration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jcc-keys-'));
    const keys = await KeyStore.open(dir, 'yantai');
    const old = keys.current('document');
    const next = await keys.generate('document'); // generated, rotation committed, never made current
    const record = (key: typeof old, extra: Partial<KeyRecord> = {}) =>
      ({
        city: 'yantai',
        kid: key.kid,
        use: key.use,
        jwk: key.publicJwk,
        validFrom: key.createdAt,
        registeredAt: 'now',
        txId: 't',
        ...extra,
      }) as KeyRecord;
    const ledger = new ScriptedLedger().script('cities:GetKey', (input) => {
      if (input.kid === old.kid) return record(old, { validTo: next.createdAt, supersededBy: next.kid });
      if (input.kid === next.kid) return record(next);
      return record(keys.current('gateway'));
    });
    await registerKeys(ledger, keys);
    assert.equal(keys.current('document').kid, next.kid);
  });
});
