import assert from 'node:assert/strict';
import { fakeContext } from './testing/fakeContext.js';
import { FakeChaincodeStub } from './testing/fakeStub.js';
import { FakeWorldState } from './testing/fakeWorldState.js';
import { txMillis, txTimestamp } from './txTime.js';

describe('transaction time', () => {
  it('is the transaction timestamp, as RFC 3339 UTC with milliseconds', () => {
    const millis = Date.UTC(2026, 10, 26, 8, 30, 15, 987);
    const ctx = fakeContext(
      new FakeChaincodeStub(new FakeWorldState(), { txId: 't', timestampMillis: millis, mspId: 'QingdaoMSP', channelId: 'c' }),
      'QingdaoMSP',
    );
    assert.equal(txMillis(ctx), millis);
    assert.equal(txTimestamp(ctx), '2026-11-26T08:30:15.987Z');
  });

  it('truncates nanoseconds to milliseconds and accepts plain-number seconds', () => {
    const ctx = fakeContext(
      new FakeChaincodeStub(new FakeWorldState(), { txId: 't', timestampMillis: 0, mspId: 'QingdaoMSP', channelId: 'c' }),
      'QingdaoMSP',
    );
    (ctx.stub as unknown as { getTxTimestamp: () => unknown }).getTxTimestamp = () => ({
      seconds: Date.UTC(2026, 10, 26, 8, 30, 15) / 1000,
      nanos: 999_999_999,
    });
    assert.equal(txTimestamp(ctx), '2026-11-26T08:30:15.999Z');
  });
});
