import assert from 'node:assert/strict';
import { CHECK_NAMES, type VerificationResult } from './api.js';
import { cityLabel, formatAgency, formatVerdict, makeStyle, wantsColor } from './format.js';

const checks = (overrides: Record<string, { ok: boolean; detail: string }>): VerificationResult['checks'] =>
  CHECK_NAMES.map((check) => {
    const { ok, detail } = overrides[check] ?? { ok: true, detail: `${check} fine` };
    return { check, ok, state: ok ? 'passed' : 'failed', reason: ok ? 'verified' : 'mismatch', detail };
  });

/** The anchor part of a verdict for a document found on no ledger. */
const noAnchor: VerificationResult['anchor'] = { mode: null, txId: null, blockNumber: null };

/** A whole verdict: `parts` over one of a document nobody could place. */
const verdict = (parts: Partial<VerificationResult> & Pick<VerificationResult, 'valid' | 'checks'>): VerificationResult => ({
  issuer: null,
  document: null,
  anchor: noAnchor,
  recognition: null,
  contentHash: null,
  verifiedBy: 'qingdao',
  verifiedAt: '2026-11-03T00:00:00.000Z',
  ledgerHeight: null,
  source: 'index',
  ...parts,
});

describe('human output', () => {
  it('heads a valid verdict with VALID 有效 and shows block and transaction', () => {
    const result = verdict({
      valid: true,
      checks: checks({}),
      issuer: { city: 'yantai', mspId: 'YantaiMSP', name: 'Yantai', nameZh: '烟台' },
      document: { id: 'yt-1', type: 'creditReport', issuedAt: '2026-11-01T00:00:00Z', validUntil: '2027-11-01T00:00:00Z' },
      anchor: { mode: 'single', txId: 'abc', blockNumber: 9 },
    });
    const text = formatVerdict(result);
    assert.match(text.split('\n')[0] ?? '', /^VALID 有效$/);
    assert.match(text, /Yantai 烟台 \(YantaiMSP\)/);
    assert.match(text, /anchor {3}single, block 9, tx abc/);
  });

  it('heads a revoked document with INVALID and REVOKED, naming the failed check and the server detail', () => {
    const text = formatVerdict(
      verdict({ valid: false, checks: checks({ status: { ok: false, detail: 'revoked at 2026-11-02: wrong subject' } }) }),
    );
    assert.match(text.split('\n')[0] ?? '', /^INVALID 无效 · REVOKED 已撤销 — failed: status$/);
    assert.match(text, /✘ status 状态 +revoked at 2026-11-02: wrong subject/);
    assert.match(text, /anchor {3}none/);
  });

  it('does not count a missing recognition as a failure', () => {
    const text = formatVerdict(verdict({ valid: true, checks: checks({ recognised: { ok: false, detail: 'no agreement' } }) }));
    assert.match(text, /^VALID/);
    assert.match(text, /ℹ recognised/);
  });

  it('colours only for a terminal without NO_COLOR', () => {
    assert.equal(wantsColor({ isTTY: true }, {}, true), true);
    assert.equal(wantsColor({ isTTY: true }, { NO_COLOR: '1' }, true), false);
    assert.equal(wantsColor({ isTTY: false }, {}, true), false);
    assert.equal(wantsColor({ isTTY: true }, {}, false), false);
    assert.equal(makeStyle(true).ok('x'), '\u001b[32mx\u001b[39m');
    assert.equal(makeStyle(false).ok('x'), 'x');
  });

  it('labels cities and agencies', () => {
    assert.equal(cityLabel('rizhao'), 'Rizhao 日照 (RizhaoMSP)');
    const text = formatAgency({
      uscc: '91350100M000100Y43',
      name: 'Jiaodong Ratings Ltd',
      filingCity: 'weifang',
      status: 'suspended',
      allianceMember: true,
      allianceStanding: 'suspended',
      services: ['rating'],
      filedAt: '2026-09-01T00:00:00.000Z',
      updatedAt: '2026-10-02T00:00:00.000Z',
      supervision: [{ city: 'qingdao', action: 'warning', summary: 'late report', date: '2026-10-01' }],
    });
    assert.match(text, /filed in Weifang 潍坊/);
    assert.match(text, /status {3}suspended/);
    assert.match(text, /2026-10-01 {2}qingdao {2}warning: late report/);
  });

  it('shows each signature of the document under the signature check, the failing one by name', () => {
    const result = {
      valid: false,
      checks: checks({}).map((c) =>
        c.check === 'signature'
          ? {
              ...c,
              ok: false,
              detail: 'the SM2SM3 signature does not match',
              signatures: [
                { kid: 'rizhao.doc.ed', alg: 'EdDSA', state: 'passed', reason: 'verified' },
                { kid: 'rizhao.doc.sm2', alg: 'SM2SM3', state: 'failed', reason: 'mismatch' },
              ],
            }
          : c,
      ),
    } as VerificationResult;
    const text = formatVerdict(result);
    assert.match(text, /✔ EdDSA +passed \(verified\) +kid rizhao\.doc\.ed/);
    assert.match(text, /✘ SM2SM3 +failed \(mismatch\) +kid rizhao\.doc\.sm2/);
  });
});
