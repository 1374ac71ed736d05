import assert from 'node:assert/strict';
import { Level } from 'level';
import { tempStore } from '../lib/testing.js';
import type { Store } from './store.js';

/** Every table's entries, by table name. */
async function contents(store: Store, names: string[]): Promise<Record<string, Array<[string, unknown]>>> {
  const out: Record<string, Array<[string, unknown]>> = {};
  for (const name of names) out[name] = await store.table(name).list();
  return out;
}

describe('Store.write (one atomic write of many tables)', () => {
  it('writes what the tables’ own puts and deletes write: same keys, same values, in every table', async () => {
    const [fast, reference] = [await tempStore(), await tempStore()];
    try {
      const names = ['ix.a', 'ix.b', 'jobs'];
      const value = (i: number) => ({ i, text: `值 ${i} “quoted” \\ ${'x'.repeat(i % 7)}`, nested: { list: [i, null, true] } });
      for (const env of [fast, reference]) await env.store.table('ix.a').put('gone', { i: -1 });
      const ops = names.flatMap((name) =>
        Array.from({ length: 40 }, (_, i) => fast.store.table<unknown>(name).putOp(`${name}|${String(i).padStart(3, '0')}`, value(i))),
      );
      ops.push(fast.store.table('ix.a').delOp('gone'));
      await fast.store.write(ops);
      for (const name of names)
        for (let i = 0; i < 40; i++) await reference.store.table(name).put(`${name}|${String(i).padStart(3, '0')}`, value(i));
      await reference.store.table('ix.a').del('gone');
      assert.deepEqual(await contents(fast.store, names), await contents(reference.store, names));
      assert.equal((await contents(fast.store, names))['ix.b']?.length, 40);
    } finally {
      await fast.cleanup();
      await reference.cleanup();
    }
  });

  it('uses the database’s own batch of encoded operations, which the pinned classic-level provides', () => {
    // Store.write falls back to the public batch() without it; this test says when an upgrade takes it away.
    assert.equal(typeof (Level.prototype as unknown as { _batch?: unknown })._batch, 'function');
  });
});
