import assert from 'node:assert/strict';
import { catalogueCodes, chinaTimeText, renderCheckMessage } from './messages.js';

describe('verdict messages', () => {
  it('names the same codes in Chinese and English', () => {
    const { zh, en } = catalogueCodes();
    assert.deepEqual([...zh].sort(), [...en].sort());
  });

  it('renders a revocation in Chinese with the time in China Standard Time, and in English', () => {
    const check = {
      check: 'status' as const,
      state: 'failed' as const,
      detail: 'revoked by the issuer at 2026-12-01T07:14:50.972Z: issued in error',
      message: { code: 'status.revoked', params: { at: '2026-12-01T07:14:50.972Z', reason: 'issued in error' } },
    };
    assert.equal(renderCheckMessage(check, 'zh'), '已由签发城市于 2026-12-01 15:14:50 北京时间 撤销：issued in error');
    assert.equal(renderCheckMessage(check, 'en'), 'revoked by the issuer at 2026-12-01 15:14:50 CST: issued in error');
  });

  it('names cities in the language', () => {
    const check = {
      check: 'recognised' as const,
      state: 'passed' as const,
      detail: '',
      message: { code: 'recognised.own-city', params: { by: 'Yantai' } },
    };
    assert.equal(renderCheckMessage(check, 'zh'), '本市（烟台）签发的文书');
  });

  it('falls back to the English detail, or a Chinese sentence for the check and state, for an unknown code', () => {
    const check = {
      check: 'anchored' as const,
      state: 'failed' as const,
      detail: 'batch b has 3 leaves',
      message: { code: 'anchored.batch-size-differs', params: {} },
    };
    assert.equal(renderCheckMessage(check, 'en'), 'batch b has 3 leaves');
    assert.equal(renderCheckMessage(check, 'zh'), '文书哈希与账本记录不符或未上链');
    assert.equal(renderCheckMessage({ ...check, message: undefined }, 'en'), 'batch b has 3 leaves');
  });

  it('shows an instant at UTC+8 across midnight', () => {
    assert.equal(chinaTimeText('2026-12-31T16:30:00Z', 'zh'), '2027-01-01 00:30:00 北京时间');
    assert.equal(chinaTimeText('not a time', 'en'), 'not a time');
  });
});
