import assert from 'node:assert/strict';
import { InvalidInstantError, instantMillis } from './time.js';
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

  it('compares instants, not strings: with or without milliseconds, in UTC or with an offset', () => {
    const key = { validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00.000Z' };
    assert.equal(isKeyValidAt(key, '2026-01-01T00:00:00.000Z'), true, '…:00.000Z is the instant …:00Z');
    assert.equal(isKeyValidAt(key, '2026-12-31T23:59:59.5Z'), true);
    assert.equal(isKeyValidAt(key, '2027-01-01T00:00:00Z'), false, '…:00Z is validTo itself (string order puts it after)');
    assert.equal(isKeyValidAt(key, '2026-01-01T07:59:59.999+08:00'), false, 'before validFrom, written in China Standard Time');
    assert.equal(isKeyValidAt(key, '2026-01-01T08:00:00+08:00'), true, 'validFrom itself, written in China Standard Time');
    assert.equal(isKeyValidAt({ ...key, revokedAt: '2026-06-01T08:00:00+08:00' }, '2026-06-01T00:00:00.000Z'), false);
    const accepted = { validFrom: '2026-01-01T00:00:00Z', validTo: '2031-01-01T00:00:00Z', acceptedAt: '2026-01-01T00:00:00Z' };
    assert.equal(isAgreementInForceAt(accepted, '2026-01-01T00:00:00.000Z'), true);
    assert.equal(isAgreementInForceAt(accepted, '2030-12-31T23:59:59.999Z'), true);
    assert.equal(isAgreementInForceAt(accepted, '2031-01-01T08:00:00+08:00'), false);
    assert.equal(isAgreementInForceAt({ ...accepted, endedAt: '2027-01-01T00:00:00Z' }, '2027-01-01T00:00:00.000Z'), false);
  });

  it('refuses what is not a timestamp instead of comparing it', () => {
    const key = { validFrom: '2026-01-01T00:00:00.000Z' };
    for (const bad of ['', 'yesterday', '2026-02-30T00:00:00Z', '2026-01-01 00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:00']) {
      assert.throws(() => isKeyValidAt(key, bad), InvalidInstantError, bad);
    }
    assert.throws(() => isKeyValidAt({ validFrom: 'soon' }, '2026-01-01T00:00:00Z'), InvalidInstantError);
    assert.throws(
      () =>
        isAgreementInForceAt(
          { validFrom: '2026-01-01T00:00:00Z', validTo: 'never', acceptedAt: '2026-01-01T00:00:00Z' },
          '2026-06-01T00:00:00Z',
        ),
      InvalidInstantError,
    );
    assert.equal(instantMillis('2026-01-01T08:00:00+08:00'), Date.UTC(2026, 0, 1));
  });
});
