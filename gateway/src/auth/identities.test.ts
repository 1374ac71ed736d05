import assert from 'node:assert/strict';
import type { IdentityView } from '@jcc/domain';
import { IdentityCache } from './identities.js';

describe('identity cache', () => {
  const view = { id: 'reg-1', role: 'regulator', active: true } as unknown as IdentityView;

  it('asks the peer once while nothing changed, again after an identity event or the time limit', async () => {
    let asked = 0;
    let now = 0;
    const cache = new IdentityCache(
      async () => {
        asked += 1;
        return view;
      },
      { ttlMs: 1000, clock: () => now },
    );
    assert.equal(await cache.get('reg-1'), view);
    assert.equal(await cache.get('reg-1'), view);
    assert.equal(asked, 1);
    cache.clear();
    await cache.get('reg-1');
    assert.equal(asked, 2, 'an identity event forgets what was read');
    now = 1001;
    await cache.get('reg-1');
    assert.equal(asked, 3, 'past the time limit it is read again');
  });

  it('keeps no answer for an identity the ledger does not know', async () => {
    let asked = 0;
    const cache = new IdentityCache(async () => {
      asked += 1;
      return undefined;
    });
    assert.equal(await cache.get('nobody'), undefined);
    assert.equal(await cache.get('nobody'), undefined);
    assert.equal(asked, 2);
  });
});
