import assert from 'node:assert/strict';
import { IdempotencyConflictError } from '../issue/issuer.js';
import { tempStore } from '../lib/testing.js';
import { IdempotencyCache } from './idempotency.js';

describe('IdempotencyCache', () => {
  it('runs once per key, replays the answer, refuses another request under the key, and forgets old answers', async () => {
    const env = await tempStore();
    try {
      const cache = new IdempotencyCache(env.store);
      const fp = IdempotencyCache.fingerprint('POST', '/x', { a: 1 });
      let runs = 0;
      const work = async () => ({ status: 201, body: { n: ++runs } });
      const [a, b] = await Promise.all([cache.run('s', 'k', fp, work), cache.run('s', 'k', fp, work)]);
      assert.equal(runs, 1);
      assert.deepEqual(a, { status: 201, body: { n: 1 }, replayed: false });
      assert.deepEqual(b, { status: 201, body: { n: 1 }, replayed: true });
      assert.equal((await cache.run('other-scope', 'k', fp, work)).replayed, false, 'keys are scoped');
      await assert.rejects(cache.run('s', 'k', IdempotencyCache.fingerprint('POST', '/x', { a: 2 }), work), IdempotencyConflictError);
      const failing = await cache.run('s', 'k2', fp, async () => ({ status: 409, body: {} }));
      assert.equal(failing.status, 409);
      assert.equal((await cache.run('s', 'k2', fp, work)).replayed, false, 'a failed answer is not kept');
      assert.equal(await cache.prune(Date.now() + 1000), 3);
      assert.equal((await cache.run('s', 'k', fp, work)).replayed, false);
    } finally {
      await env.cleanup();
    }
  });
});
