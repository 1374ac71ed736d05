import assert from 'node:assert/strict';
import { isAgreementInForceAt, isKeyValidAt } from './validity.js';

describe('validity of ledger records', () => {
  it('a key is valid from validFrom, before validTo and before revokedAt', () => {
    const key = { validFrom: '2026-01-01T00:00:00.000Z', validTo: '2027-01-01T00:00:00.000Z' };
    assert.equal(isKeyValidAt(key, '2025-12-31T23:59:59.999Z'), false);
    assert.equal(isKeyValidAt(key, '2026-01-01T00:00:00.000Z'), true);
    assert.equal(isKeyValidAt(key, '2027-01-01T00:00:00.000Z'), false);
    assert.equal(isKeyValidAt({ ...key, revokedAt: '2026-06-01T00:00:00.000Z' }, '2026-05-31T23:59:59.999Z'), true);
    assert.equal(isKeyValidAt({ ...key, revokedAt: '2026-06-01T00:00:00.000Z' }, '2026-06-01T00:00:00.000Z'), false);
    assert.equal(isKeyValidAt({ validFrom: '2026-01-01T00:00:00.000Z' }, '2099-01-01T00:00:00.000Z'), true);
  });

  it('an agreement covers its window once accepted, up to its end', () => {
    const agreement = { validFrom: '2026-01-01T00:00:00.000Z', validTo: '2031-01-01T00:00:00.000Z' };
    assert.equal(isAgreementInForceAt(agreement, '2026-06-01T00:00:00.000Z'), false, 'not accepted');
    const accepted = { ...agreement, acceptedAt: '2026-11-26T00:00:00.000Z' };
    assert.equal(isAgreementInForceAt(accepted, '2026-06-01T00:00:00.000Z'), true, 'acceptance ratifies the whole window');
    assert.equal(isAgreementInForceAt(accepted, '2025-12-31T00:00:00.000Z'), false);
    assert.equal(isAgreementInForceAt(accepted, '2031-01-01T00:00:00.000Z'), false);
    const ended = { ...accepted, endedAt: '2027-01-01T00:00:00.000Z' };
    assert.equal(isAgreementInForceAt(ended, '2026-12-31T00:00:00.000Z'), true);
    assert.equal(isAgreementInForceAt(ended, '2027-01-01T00:00:00.000Z'), false);
  });
});
