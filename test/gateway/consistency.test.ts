/**
 * Writes across cities without client retries: a write at one city naming a
 * record another city created a moment earlier succeeds even when that city's
 * block has not reached this city's peer yet (the gateway waits for its peer
 * to catch up; docs/consistency.md). A record that does not exist is still 404.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { usccCheckCharacter } from '@jcc/domain';
import { call, gateways, runTag, token, until } from './harness.js';

/**
 * A valid USCC of this file and run only: region code 370799, which no other
 * test uses, and a tail hashed from the run tag (never the tag itself, which
 * other tests search agencies by).
 */
const uscc = (n: number): string => {
  const tail = BigInt(`0x${createHash('sha256').update(`${runTag}/${n}`).digest('hex').slice(0, 15)}`)
    .toString()
    .slice(-9)
    .padStart(9, '0');
  return `91370799${tail}` + usccCheckCharacter(`91370799${tail}`);
};

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

describe('consistency of writes across cities', function () {
  before(async function () {
    await gateways();
  });

  it('records Rizhao’s supervision of an agency Weifang filed the moment before', async function () {
    const weifang = await token('weifang', 'operator');
    const rizhao = await token('rizhao', 'operator');
    for (let i = 0; i < 3; i++) {
      const code = uscc(i + 1);
      const filed = await call('weifang', 'POST', '/api/v1/agencies', {
        token: weifang,
        body: { uscc: code, name: `潍坊信用评级 (consistency ${i})`, services: ['credit rating'], allianceMember: false },
      });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      const sup = await call('rizhao', 'POST', `/api/v1/agencies/${code}/supervision`, {
        token: rizhao,
        body: { action: 'inspection', summary: 'inspection right after filing', date: '2026-11-01' },
      });
      assert.equal(sup.status, 201, JSON.stringify(sup.body));
    }
  });

  it('records an objection at Rizhao to a list entry Qingdao just created', async function () {
    const entry = await call('qingdao', 'POST', '/api/v1/list-entries', {
      token: await token('qingdao', 'operator'),
      body: {
        subject: { kind: 'enterprise', uscc: uscc(4) },
        listType: 'black',
        legalBasis: '青岛市严重失信主体认定办法',
        measures: ['限制参与招投标'],
        startDate: '2026-02-01',
      },
    });
    assert.equal(entry.status, 201, JSON.stringify(entry.body));
    const objection = await call('rizhao', 'POST', `/api/v1/list-entries/qingdao/${entry.body.id}/objections`, {
      token: await token('rizhao', 'operator'),
      body: { grounds: 'The subject says the listing names the wrong company.' },
    });
    assert.equal(objection.status, 201, JSON.stringify(objection.body));
  });

  it('records Weihai’s recognition of a document as soon as Qingdao has anchored it', async function () {
    const qingdao = await token('qingdao', 'operator');
    const issued = await call('qingdao', 'POST', '/api/v1/reports', {
      token: qingdao,
      body: {
        subject: { kind: 'enterprise', uscc: uscc(5) },
        reportType: 'creditReport',
        content: { purpose: 'consistency test' },
        validUntil: inAYear(),
        anchor: 'single',
      },
    });
    assert.equal(issued.status, 202, JSON.stringify(issued.body));
    // Qingdao's own state of its own document: anchored once its transaction committed at Qingdao's peer.
    await until(
      () => call('qingdao', 'GET', `/api/v1/reports/${issued.body.id}`, { token: qingdao }),
      (r) => r.body?.state === 'anchored',
      60_000,
      'anchored at Qingdao',
    );
    const rec = await call('weihai', 'POST', '/api/v1/recognitions', {
      token: await token('weihai', 'operator'),
      body: { issuerCity: 'qingdao', documentId: issued.body.id, decision: 'accepted', reason: 'recognised right after anchoring' },
    });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
  });

  it('records a supervision sent while the filing is still being committed, once its block reaches Rizhao', async function () {
    // The strongest form of the race: Rizhao endorses before Weifang's block exists anywhere,
    // so the first endorsement is refused NOT_FOUND every time; the gateway waits for the block.
    const code = uscc(6);
    const filing = call('weifang', 'POST', '/api/v1/agencies', {
      token: await token('weifang', 'operator'),
      body: { uscc: code, name: '潍坊征信服务 (consistency)', services: ['credit reporting'], allianceMember: true },
    });
    const supervision = call('rizhao', 'POST', `/api/v1/agencies/${code}/supervision`, {
      token: await token('rizhao', 'operator'),
      body: { action: 'inspection', summary: 'inspection sent with the filing', date: '2026-11-02' },
    });
    const [filed, sup] = await Promise.all([filing, supervision]);
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal(sup.status, 201, JSON.stringify(sup.body));
  });

  it('still answers 404 problem+json for a record that does not exist', async function () {
    const res = await call('rizhao', 'POST', `/api/v1/agencies/${uscc(7)}/supervision`, {
      token: await token('rizhao', 'operator'),
      body: { action: 'inspection', summary: 'inspection of an agency nobody filed', date: '2026-11-01' },
    });
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
    assert.equal(res.body.code, 'NOT_FOUND');
  });
});
