/**
 * Across cities: fetching a peer city's document through its gateway,
 * recording recognition, agreements, subject look-ups and the agency registry.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import { call, gateways, runTag, testIdNumber, testUscc, token, until } from './harness.js';

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();
const check = (verdict: any, name: string) => verdict.checks.find((c: { check: string }) => c.check === name);

describe('across cities', function () {
  let doc: { id: string; jws: string };

  before(async function () {
    await gateways();
    const res = await call('qingdao', 'POST', '/api/v1/reports', {
      token: await token('qingdao', 'operator'),
      body: {
        subject: { kind: 'enterprise', uscc: testUscc(`X${runTag}`) },
        reportType: 'noViolationCertificate',
        content: { bid: 'Yantai port tender' },
        validUntil: inAYear(),
        anchor: 'batch',
      },
    });
    assert.equal(res.status, 202);
    doc = res.body;
    const op = await token('qingdao', 'operator');
    await until(
      () => call('qingdao', 'GET', `/api/v1/reports/${doc.id}`, { token: op }),
      (r) => r.body?.state === 'anchored',
      60_000,
      'anchored',
    );
  });

  it("lets a Yantai operator fetch Qingdao's document through Qingdao's gateway and verifies it", async function () {
    const res = await call('yantai', 'GET', `/api/v1/peer-documents/qingdao/${doc.id}`, { token: await token('yantai', 'operator') });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.jws, doc.jws);
    assert.ok(res.body.proof, 'the batch proof came along');
    assert.equal(res.body.verification.valid, true, JSON.stringify(res.body.verification.checks));
    assert.equal(res.body.verification.verifiedBy, 'yantai');
    const missing = await call('yantai', 'GET', `/api/v1/peer-documents/qingdao/qingdao-nope-${runTag}`, {
      token: await token('yantai', 'operator'),
    });
    assert.equal(missing.status, 404);
  });

  it("records Yantai's recognition on the ledger and reports it when Yantai verifies", async function () {
    const op = await token('yantai', 'operator');
    const rec = await call('yantai', 'POST', '/api/v1/recognitions', {
      token: op,
      body: { issuerCity: 'qingdao', documentId: doc.id, decision: 'accepted', reason: 'accepted for the port tender' },
    });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    const after = await call('yantai', 'POST', '/api/v1/verify', { body: { jws: doc.jws } });
    assert.equal(check(after.body, 'recognised').ok, true);
    assert.equal(after.body.recognition.basis, 'record');
    const list = await call('weihai', 'GET', `/api/v1/recognitions/qingdao/${doc.id}`, { token: await token('weihai', 'regulator') });
    assert.equal(list.status, 200);
    assert.ok(list.body.records.some((r: { city: string; decision: string }) => r.city === 'yantai' && r.decision === 'accepted'));
  });

  it('recognises documents under an agreement once the counterparty accepts it', async function () {
    const proposed = await call('weihai', 'POST', '/api/v1/agreements', {
      token: await token('weihai', 'operator'),
      body: {
        counterparty: 'qingdao',
        docTypes: ['creditReport'],
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validTo: inAYear(),
      },
    });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    const id = proposed.body.agreementId;
    const accepted = await call('qingdao', 'POST', `/api/v1/agreements/${id}/accept`, { token: await token('qingdao', 'operator') });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const res = await until(
      () => call('weihai', 'POST', '/api/v1/verify', { body: { jws: doc.jws } }),
      (r) => check(r.body, 'recognised')?.ok === true,
      30_000,
      'recognised under the agreement',
    );
    assert.equal(res.body.recognition.basis, 'agreement');
    const listed = await call('weihai', 'GET', '/api/v1/agreements', { token: await token('weihai', 'operator') });
    assert.ok(listed.body.records.some((a: { agreementId: string }) => a.agreementId === id));
  });

  it("answers a subject's evaluations and list entries from all cities in one call", async function () {
    const subject = { kind: 'person', idNumber: testIdNumber(Number.parseInt(runTag.slice(-3), 36)) };
    const ev = await call('qingdao', 'POST', '/api/v1/evaluations', {
      token: await token('qingdao', 'operator'),
      body: {
        subject,
        scheme: 'qd-personal-2026',
        grade: 'B',
        periodStart: '2026-01-01',
        periodEnd: '2026-06-30',
        validUntil: inAYear(),
        evidence: `evaluation file ${runTag}`,
      },
    });
    assert.equal(ev.status, 201, JSON.stringify(ev.body));
    const entry = await call('rizhao', 'POST', '/api/v1/list-entries', {
      token: await token('rizhao', 'operator'),
      body: {
        subject,
        listType: 'red',
        legalBasis: '日照市守信激励办法第五条',
        measures: ['简化审批', 'priority service'],
        startDate: '2026-01-01',
      },
    });
    assert.equal(entry.status, 201, JSON.stringify(entry.body));
    assert.doesNotMatch(JSON.stringify([ev.body, entry.body]), new RegExp(subject.idNumber));
    const res = await call('weifang', 'POST', '/api/v1/subjects/lookup', { token: await token('weifang', 'operator'), body: { subject } });
    assert.equal(res.status, 200);
    assert.ok(res.body.evaluations.some((e: { id: string; city: string }) => e.id === ev.body.id && e.city === 'qingdao'));
    assert.ok(res.body.listEntries.some((e: { id: string; city: string }) => e.id === entry.body.id && e.city === 'rizhao'));
    assert.equal(res.body.pseudonym, ev.body.subjectPseudonym);
  });

  it('handles an objection and a credit repair on a list entry', async function () {
    const subject = { kind: 'enterprise', uscc: testUscc(`O${runTag}`) };
    const entry = await call('weihai', 'POST', '/api/v1/list-entries', {
      token: await token('weihai', 'operator'),
      body: { subject, listType: 'black', legalBasis: '威海市严重失信主体认定办法', measures: ['限制参与招投标'], startDate: '2026-02-01' },
    });
    assert.equal(entry.status, 201, JSON.stringify(entry.body));
    const objection = await call('yantai', 'POST', `/api/v1/list-entries/weihai/${entry.body.id}/objections`, {
      token: await token('yantai', 'operator'),
      body: { grounds: 'The subject says the penalty was annulled on appeal.' },
    });
    assert.equal(objection.status, 201, JSON.stringify(objection.body));
    const answer = await call('weihai', 'POST', `/api/v1/objections/yantai/${objection.body.objectionId}/answer`, {
      token: await token('weihai', 'operator'),
      body: { outcome: 'rejected', note: 'the appeal did not annul the penalty' },
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const repaired = await call('weihai', 'POST', `/api/v1/list-entries/${entry.body.id}/removal`, {
      token: await token('weihai', 'operator'),
      body: { reason: 'creditRepair', note: '完成信用修复 (credit repair completed)', evidence: 'repair certificate' },
    });
    assert.equal(repaired.status, 200, JSON.stringify(repaired.body));
    assert.equal(repaired.body.state, 'removed');
    // Weihai's removal reaches Qingdao's peer a moment later: read until it has.
    const regulator = await token('qingdao', 'regulator');
    const read = await until(
      () => call('qingdao', 'GET', `/api/v1/list-entries/weihai/${entry.body.id}`, { token: regulator }),
      (r) => r.body?.state === 'removed',
      30_000,
      "Weihai's removal visible at Qingdao",
    );
    assert.equal(read.body.state, 'removed');
    assert.equal(read.body.objections.length, 1);
  });

  it("answers an agency's filing and supervision by USCC from any city, publicly and with a token", async function () {
    const uscc = testUscc(`A${runTag}`);
    const filed = await call('weifang', 'POST', '/api/v1/agencies', {
      token: await token('weifang', 'operator'),
      body: { uscc, name: '潍坊信用评级有限公司', services: ['credit rating'], allianceMember: true },
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const sup = await call('rizhao', 'POST', `/api/v1/agencies/${uscc}/supervision`, {
      token: await token('rizhao', 'operator'),
      body: { action: 'inspection', summary: 'routine inspection, no findings', date: '2026-11-01' },
    });
    assert.equal(sup.status, 201, JSON.stringify(sup.body));
    // Rizhao's supervision block reaches Qingdao's peer a moment later: read until it has.
    const pub = await until(
      () => call('qingdao', 'GET', `/api/v1/public/agencies/${uscc}`),
      (r) => r.status === 200 && Array.isArray(r.body.supervision) && r.body.supervision.length > 0,
      30_000,
      "Rizhao's supervision visible at Qingdao",
    );
    assert.equal(pub.body.filingCity, 'weifang');
    assert.equal(pub.body.supervision[0].city, 'rizhao');
    const alliance = await call('yantai', 'GET', `/api/v1/agencies/${uscc}`, { token: await token('yantai', 'alliance') });
    assert.equal(alliance.status, 200);
    assert.equal(alliance.body.allianceMember, true);
    const unknown = await call('qingdao', 'GET', `/api/v1/public/agencies/${testUscc(`U${runTag}`)}`);
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type') ?? '', /problem\+json/);
  });
});
