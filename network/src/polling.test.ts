import assert from 'node:assert/strict';
import { eventually, PollTimeoutError, until } from './polling.js';

describe('polling (until, eventually)', () => {
  it('returns the first value accepted', async () => {
    let n = 0;
    assert.equal(
      await until(
        async () => ++n,
        (v) => v >= 3,
        { intervalMs: 1 },
      ),
      3,
    );
  });

  it('counts a throwing read as "not yet", and returns once it succeeds', async () => {
    let n = 0;
    const value = await eventually(
      async () => {
        if (++n < 3) throw new Error('not committed yet');
        return 'read';
      },
      { intervalMs: 1 },
    );
    assert.equal(value, 'read');
    assert.equal(n, 3);
  });

  it('fails at the deadline naming what was awaited and the last value or error', async () => {
    await assert.rejects(
      until(
        async () => 'pending',
        (v) => v === 'done',
        { timeoutMs: 30, intervalMs: 5, what: 'anchored' },
      ),
      (e: unknown) => e instanceof PollTimeoutError && /anchored not reached/.test(e.message) && /pending/.test(e.message),
    );
    const cause = new Error('peer unreachable');
    await assert.rejects(
      eventually(() => Promise.reject(cause), { timeoutMs: 30, intervalMs: 5 }),
      (e: unknown) => e instanceof PollTimeoutError && e.cause === cause && /peer unreachable/.test(e.message),
    );
  });

  it('stops at once on an error marked final', async () => {
    let n = 0;
    const fatal = new Error('exited');
    await assert.rejects(
      eventually(
        async () => {
          n++;
          throw fatal;
        },
        { timeoutMs: 10_000, intervalMs: 1, stopOn: (e) => e === fatal },
      ),
      (e: unknown) => e === fatal,
    );
    assert.equal(n, 1);
  });
});
