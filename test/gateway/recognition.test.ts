/**
 * Mutual recognition (互认) against the real network: references to
 * documents must hold (issue 11 §1, referential integrity).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { call, gateways, issueAnchoredAt, runTag, testUrl, token, until } from './harness.js';

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

/** Issues a Qingdao report anchored alone or in a batch and waits until it is anchored; returns its id, JWS and state. */
async function anchoredReport(anchor: 'single' | 'batch', seed: string): Promise<{ id: string; jws: string; state: any }> {
  const op = await token('qingdao', 'operator');
  const state = await issueAnchoredAt(testUrl('qingdao'), op, {
    anchor,
    summary: `recognition test ${seed}`,
    reportType: 'noViolationCertificate',
    timeoutMs: 90_000,
  });
  return { id: state.id, jws: state.jws, state };
}

/** Asserts a refusal as problem+json with status 422 and code `UNKNOWN_REFERENCE`. */
function assertUnknownReference(answer: { status: number; body: any; headers: Headers }, pattern: RegExp): void {
  assert.equal(answer.status, 422, JSON.stringify(answer.body));
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(answer.body.code, 'UNKNOWN_REFERENCE');
  assert.match(answer.body.type, /\/unknown-reference$/);
  assert.match(answer.body.detail, pattern);
}

describe('recognition: references hold', function () {
  before(async function () {
    await gateways();
  });

  it('refuses recognising a document that was never anchored (422 UNKNOWN_REFERENCE) and records nothing', async function () {
    const op = await token('yantai', 'operator');
    const id = `qingdao-never-${runTag}`;
    const refused = await call('yantai', 'POST', '/api/v1/recognitions', {
      token: op,
      body: { issuerCity: 'qingdao', documentId: id, decision: 'accepted', reason: 'looked fine' },
    });
    assertUnknownReference(refused, new RegExp(`document qingdao/${id} is not on the ledger`));
    const named = await call('yantai', 'POST', '/api/v1/recognitions', {
      token: op,
      body: { issuerCity: 'qingdao', documentId: id, decision: 'accepted', reason: 'looked fine', batchId: `no-batch-${runTag}` },
    });
    assertUnknownReference(named, new RegExp(`batch qingdao/no-batch-${runTag} does not exist`));
    const onLedger = await (
      await gateways()
    ).weihai.services.ledger.evaluate<{ records: unknown[] }>('recognition:GetRecognitions', {
      issuerCity: 'qingdao',
      documentId: id,
    });
    assert.deepEqual(onLedger.records, []);
    const mine = await call('yantai', 'GET', '/api/v1/recognitions?recognisingCity=yantai&pageSize=200', { token: op });
    assert.equal(mine.status, 200);
    assert.ok(!mine.body.records.some((r: { documentId: string }) => r.documentId === id), 'no decision on the unknown id is listed');
  });

  it('recognises a batch-anchored document without the caller naming its batch (the gateway finds it at the issuer)', async function () {
    const doc = await anchoredReport('batch', 'RB');
    assert.ok(doc.state.proof?.batchId, 'anchored in a batch');
    const rec = await call('rizhao', 'POST', '/api/v1/recognitions', {
      token: await token('rizhao', 'operator'),
      body: { issuerCity: 'qingdao', documentId: doc.id, decision: 'accepted', reason: 'checked against the batch root' },
    });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    assert.equal(rec.body.decision, 'accepted');
  });

  it('refuses superseding with a replacement id that does not exist (422 UNKNOWN_REFERENCE); the report stays in force', async function () {
    const doc = await anchoredReport('single', 'RS');
    const op = await token('qingdao', 'operator');
    const refused = await call('qingdao', 'POST', `/api/v1/reports/${doc.id}/supersede`, {
      token: op,
      body: { replacementId: `qingdao-nowhere-${runTag}`, reason: 'reissued' },
    });
    assertUnknownReference(refused, new RegExp(`replacementId: document qingdao/qingdao-nowhere-${runTag} is not on the ledger`));
    const state = await call('qingdao', 'GET', `/api/v1/reports/${doc.id}`, { token: op });
    assert.equal(state.body.state, 'anchored');
    const verified = await call('weifang', 'POST', '/api/v1/verify', { body: { jws: doc.jws } });
    assert.equal(verified.body.valid, true, JSON.stringify(verified.body.checks));
  });
});

describe('recognition: free text stays in the gateway that wrote it (issue 11 §2, finding 8)', function () {
  const commit = (salt: string, text: string) => createHash('sha256').update(`${salt}:${text}`).digest('hex');

  before(async function () {
    await gateways();
  });

  it("keeps a recognition's reason in the recognising gateway; the ledger holds its salted hash; other gateways read it from there", async function () {
    const doc = await anchoredReport('single', 'RT');
    const reason = '张三, 手机 13800138000: 报告与原件一致';
    const rec = await call('weihai', 'POST', '/api/v1/recognitions', {
      token: await token('weihai', 'operator'),
      body: { issuerCity: 'qingdao', documentId: doc.id, decision: 'accepted', reason },
    });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));
    const ledger = (await gateways()).rizhao.services.ledger;
    // Read at Rizhao's peer, once it has committed the block (peers commit a block at different moments).
    const onLedger = await until(
      () => ledger.evaluate<{ records: any[] }>('recognition:GetRecognitions', { issuerCity: 'qingdao', documentId: doc.id }),
      (answer) => answer.records.some((r) => r.city === 'weihai'),
      30_000,
      "Weihai's recognition at Rizhao's peer",
    );
    const raw = JSON.stringify(onLedger);
    for (const text of ['13800138000', '张三', '报告与原件一致']) assert.ok(!raw.includes(text), `the ledger holds "${text}": ${raw}`);
    const record = onLedger.records.find((r) => r.city === 'weihai');
    assert.match(String(record.reasonHash), /^[0-9a-f]{64}$/);
    // Read at Qingdao's gateway: the text comes from Weihai's, proved against the ledger's hash with its salt.
    const qingdaoOperator = await token('qingdao', 'operator');
    const read = await until(
      () => call('qingdao', 'GET', `/api/v1/recognitions/qingdao/${doc.id}`, { token: qingdaoOperator }),
      (answer) => answer.status === 200 && answer.body.records.some((r: any) => r.city === 'weihai'),
      30_000,
      "Weihai's recognition at Qingdao's gateway",
    );
    const served = read.body.records.find((r: any) => r.city === 'weihai');
    assert.equal(served.text.reason.text, reason);
    assert.equal(commit(served.text.reason.salt, reason), record.reasonHash);
    // A new decision keeps the earlier reason readable in the history.
    const again = await call('weihai', 'POST', '/api/v1/recognitions', {
      token: await token('weihai', 'operator'),
      body: { issuerCity: 'qingdao', documentId: doc.id, decision: 'rejected', reason: '发现新的失信记录' },
    });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    const regulator = await token('yantai', 'regulator', { audience: ['yantai'] });
    const later = await until(
      () => call('yantai', 'GET', `/api/v1/recognitions/qingdao/${doc.id}`, { token: regulator }),
      (answer) => answer.status === 200 && answer.body.records.some((r: any) => r.city === 'weihai' && r.decision === 'rejected'),
      30_000,
      "Weihai's new decision at Yantai's gateway",
    );
    const latest = later.body.records.find((r: any) => r.city === 'weihai');
    assert.equal(latest.text.reason.text, '发现新的失信记录');
    assert.deepEqual(
      latest.text.history.map((h: any) => h.text),
      [reason],
    );
    // The ledger itself refuses a reason in clear.
    await assert.rejects(
      ledger.submit('recognition:RecordRecognition', {
        issuerCity: 'qingdao',
        documentId: doc.id,
        decision: 'accepted',
        reason: 'tel 13800138000',
      }),
      /reason|unknown field/,
    );
  });

  it('keeps the reason for ending an agreement in the gateway of the city that ended it', async function () {
    const proposed = await call('weifang', 'POST', '/api/v1/agreements', {
      token: await token('weifang', 'operator'),
      body: {
        counterparty: 'rizhao',
        docTypes: ['evaluation'],
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validTo: inAYear(),
      },
    });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    const id = proposed.body.agreementId as string;
    const reason = '备忘录终止 (联系人 李四 13900139000)';
    const ended = await call('rizhao', 'POST', `/api/v1/agreements/${id}/end`, {
      token: await token('rizhao', 'operator'),
      body: { reason },
    });
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.equal(ended.body.text.endReason.text, reason);
    const qingdaoLedger = (await gateways()).qingdao.services.ledger;
    const onLedger = await until(
      () => qingdaoLedger.evaluate<any>('recognition:GetAgreement', { agreementId: id }),
      (view) => view.endReasonHash !== undefined,
      30_000,
      "the ended agreement at Qingdao's peer",
    );
    assert.ok(!JSON.stringify(onLedger).includes('13900139000'), JSON.stringify(onLedger));
    assert.equal(onLedger.endReason, undefined);
    const weifangOperator = await token('weifang', 'operator');
    const read = await until(
      () => call('weifang', 'GET', `/api/v1/agreements/${id}`, { token: weifangOperator }),
      (answer) => answer.status === 200 && answer.body.text?.endReason !== undefined,
      30_000,
      "the ended agreement at Weifang's gateway",
    );
    assert.equal(read.body.text.endReason.text, reason);
    assert.equal(commit(read.body.text.endReason.salt, reason), onLedger.endReasonHash);
  });
});
