import assert from 'node:assert/strict';
import { submitCatchingUp } from './catch-up.js';
import { LedgerRefusedError, LedgerUnavailableError } from './errors.js';

const notFound = (): LedgerRefusedError => new LedgerRefusedError('agencies:RecordSupervision', 'NOT_FOUND', 'agency 9137 does not exist');

describe('submitCatchingUp', function () {
  it('retries a NOT_FOUND write once the peer has received the missing block', async function () {
    let height = 10n;
    let attempts = 0;
    setTimeout(() => (height = 11n), 100);
    const result = await submitCatchingUp(
      () => {
        attempts++;
        if (height < 11n) return Promise.reject(notFound());
        return Promise.resolve('recorded');
      },
      () => Promise.resolve(height),
      { timeoutMs: 5000, quietMs: 2000, pollMs: 10 },
    );
    assert.equal(result, 'recorded');
    assert.equal(attempts, 2);
  });

  it('answers NOT_FOUND after one last attempt when the peer stays idle (the record does not exist)', async function () {
    let attempts = 0;
    const started = Date.now();
    await assert.rejects(
      submitCatchingUp(
        () => {
          attempts++;
          return Promise.reject(notFound());
        },
        () => Promise.resolve(10n),
        { timeoutMs: 5000, quietMs: 100, pollMs: 10 },
      ),
      (err) => err instanceof LedgerRefusedError && err.code === 'NOT_FOUND',
    );
    assert.equal(attempts, 2);
    assert.ok(Date.now() - started < 5000, 'it did not wait for the whole bound');
  });

  it('stops at the bound while blocks keep arriving without the record', async function () {
    let height = 0n;
    const timer = setInterval(() => height++, 20);
    try {
      await assert.rejects(
        submitCatchingUp(
          () => Promise.reject(notFound()),
          () => Promise.resolve(height),
          { timeoutMs: 300, quietMs: 1000, pollMs: 5 },
        ),
        (err) => err instanceof LedgerRefusedError,
      );
    } finally {
      clearInterval(timer);
    }
  });

  it('tries again while the endorsers disagree (one of them had not committed the last block), within the bound', async function () {
    const mismatch = () =>
      new LedgerUnavailableError(
        'identities:ApproveIdentity',
        '10 ABORTED: failed to collect enough transaction endorsements (YantaiMSP@peer: ProposalResponsePayloads do not match)',
      );
    let attempts = 0;
    const result = await submitCatchingUp(
      () => (++attempts < 3 ? Promise.reject(mismatch()) : Promise.resolve('approved')),
      () => Promise.resolve(10n),
      { timeoutMs: 5000, pollMs: 5 },
    );
    assert.deepEqual([result, attempts], ['approved', 3]);
    attempts = 0;
    await assert.rejects(
      submitCatchingUp(
        () => {
          attempts++;
          return Promise.reject(mismatch());
        },
        () => Promise.resolve(10n),
        { timeoutMs: 0 },
      ),
      (err) => err instanceof LedgerUnavailableError,
    );
    assert.equal(attempts, 1, 'no retry with a bound of 0');
  });

  it('does not retry other refusals, nor NOT_FOUND when the bound is 0', async function () {
    for (const [error, timeoutMs] of [
      [new LedgerRefusedError('reports:RevokeDocument', 'FORBIDDEN', 'not your document'), 5000],
      [notFound(), 0],
    ] as const) {
      let attempts = 0;
      await assert.rejects(
        submitCatchingUp(
          () => {
            attempts++;
            return Promise.reject(error);
          },
          () => Promise.resolve(1n),
          { timeoutMs },
        ),
      );
      assert.equal(attempts, 1);
    }
  });
});
