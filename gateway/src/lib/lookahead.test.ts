import assert from 'node:assert/strict';
import { withLookahead } from './lookahead.js';

async function* delivered<T>(batches: T[][], gapMs: number): AsyncGenerator<T> {
  for (const batch of batches) {
    for (const item of batch) yield item;
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
}

describe('withLookahead', () => {
  it('keeps the order and prepares the items already delivered while the consumer works, at most the window at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const prepare = async (n: number): Promise<number> => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      return n * 10;
    };
    const started = Date.now();
    const seen: number[] = [];
    for await (const { item, prepared } of withLookahead(
      delivered(
        [
          [1, 2, 3, 4, 5, 6, 7, 8],
          [9, 10],
        ],
        5,
      ),
      prepare,
      4,
    )) {
      assert.equal(await prepared, item * 10);
      seen.push(item);
    }
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(most > 1 && most <= 5, `preparations overlapped, within the window and the one in hand (${most})`);
    assert.ok(Date.now() - started < 10 * 20, 'faster than one preparation after another');
  });

  it('reports a failed preparation at its own item, and stops the source when the consumer stops', async () => {
    let returned = false;
    async function* source(): AsyncGenerator<number> {
      try {
        for (let n = 1; ; n++) yield n;
      } finally {
        returned = true;
      }
    }
    const results: string[] = [];
    for await (const { item, prepared } of withLookahead(
      source(),
      (n) => (n === 2 ? Promise.reject(new Error('two')) : Promise.resolve(n)),
      3,
    )) {
      results.push(await prepared.then(String, (err: Error) => err.message));
      if (item === 3) break;
    }
    assert.deepEqual(results, ['1', 'two', '3']);
    assert.ok(returned, 'the source was closed');
  });
});
