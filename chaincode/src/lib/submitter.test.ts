import assert from 'node:assert/strict';
import { CITIES, CodedError } from '@jcc/domain';
import { fakeContext } from './testing/fakeContext.js';
import { FakeChaincodeStub } from './testing/fakeStub.js';
import { FakeWorldState } from './testing/fakeWorldState.js';
import { submittingCity } from './submitter.js';

function contextOf(mspId: string) {
  return fakeContext(new FakeChaincodeStub(new FakeWorldState(), { txId: 't', timestampMillis: 0, mspId, channelId: 'c' }), mspId);
}

describe('submitting city', () => {
  it('is the city of the submitter’s MSP', () => {
    for (const city of CITIES) assert.equal(submittingCity(contextOf(city.mspId)).id, city.id);
  });

  it('refuses any other MSP with UNKNOWN_CITY', () => {
    for (const mspId of ['OrdererMSP', 'qingdaomsp', '', 'Qingdao']) {
      assert.throws(
        () => submittingCity(contextOf(mspId)),
        (err: unknown) => err instanceof CodedError && err.code === 'UNKNOWN_CITY',
      );
    }
  });
});
