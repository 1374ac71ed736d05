/**
 * The subject's right to know who looked (知情权), on the real network: every
 * subject look-up, cross-city document fetch and recognition lands in the
 * acting (and serving) city's access log; heads are anchored on the ledger,
 * owner-protected; inclusion and consistency proofs verify; a stored entry
 * altered afterwards is caught against the anchored head; the subject access
 * report, by REST, verifies with the standard tools (scripts/verify-access-report.sh).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessEntryHash, subjectPseudonym, verifyConsistency, verifyInclusion, type AccessLogEntry } from '@jcc/domain';
import { connectCity, evaluateJson, fabricErrorText, submitJson } from '../support/fabric.js';
import { call, gateways, root, runTag, testUscc, token, until } from './harness.js';

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

/** Runs the standard-tools recipe on a report file. */
function verifyReport(file: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('bash', [join(root, 'scripts', 'verify-access-report.sh'), file, 'weihai'], { cwd: root }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

describe('access log (知情权): who looked at a subject, with proofs', function () {
  this.timeout(240_000);
  const subject = { kind: 'enterprise' as const, uscc: testUscc(`AL${runTag}`) };
  let pseudonym = '';
  let doc: { id: string; jws: string };
  let report: any;

  before(async function () {
    const all = await gateways();
    pseudonym = subjectPseudonym(all.qingdao.services.secret, subject);
    const op = await token('qingdao', 'operator');
    const res = await call('qingdao', 'POST', '/api/v1/reports', {
      token: op,
      body: { subject, reportType: 'noViolationCertificate', content: { bid: 'access log test' }, validUntil: inAYear(), anchor: 'single' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    doc = res.body;
    await until(
      () => call('qingdao', 'GET', `/api/v1/reports/${doc.id}`, { token: op }),
      (r) => r.body?.state === 'anchored',
      60_000,
      'anchored',
    );
  });

  it('records look-ups, document fetches and recognitions in the acting and the serving city, by pseudonym and caller', async function () {
    const all = await gateways();
    const sizes = Object.fromEntries(Object.entries(all).map(([c, g]) => [c, g.services.accessLog.size]));
    const lookup = await call('yantai', 'POST', '/api/v1/subjects/lookup', {
      token: await token('yantai', 'regulator'),
      body: { subject },
    });
    assert.equal(lookup.status, 200, JSON.stringify(lookup.body));
    const fetched = await call('weihai', 'GET', `/api/v1/peer-documents/qingdao/${doc.id}`, { token: await token('weihai', 'operator') });
    assert.equal(fetched.status, 200, JSON.stringify(fetched.body));
    const rec = await call('rizhao', 'POST', '/api/v1/recognitions', {
      token: await token('rizhao', 'operator'),
      body: { issuerCity: 'qingdao', documentId: doc.id, decision: 'accepted', reason: 'accepted for the access log test' },
    });
    assert.equal(rec.status, 201, JSON.stringify(rec.body));

    const newEntries = async (city: keyof typeof all): Promise<AccessLogEntry[]> => {
      const log = all[city].services.accessLog;
      const out: AccessLogEntry[] = [];
      for (let i = sizes[city] as number; i < log.size; i++) out.push((await log.entry(i)) as AccessLogEntry);
      return out.filter((e) => e.subjectPseudonym === pseudonym);
    };
    const yantai = await newEntries('yantai');
    assert.deepEqual(
      yantai.map((e) => [e.action, e.accessor.role, e.accessor.identity]),
      [['subject-lookup', 'regulator', 'test-regulator']],
    );
    const weihai = await newEntries('weihai');
    // Yantai's look-up asked every city's gateway for the subject's documents; then Weihai fetched one.
    assert.deepEqual(
      weihai.map((e) => [e.action, e.accessor.city, e.document?.id]),
      [
        ['subject-documents-shared', 'yantai', undefined],
        ['document-fetched', 'weihai', doc.id],
      ],
    );
    assert.deepEqual(
      (await newEntries('rizhao')).map((e) => [e.action, e.accessor.city]),
      [
        ['subject-documents-shared', 'yantai'],
        ['recognition', 'rizhao'],
      ],
    );
    const qingdao = (await newEntries('qingdao')).map((e) => [e.action, e.accessor.role, e.accessor.city]);
    assert.ok(
      qingdao.some(([a, r, c]) => a === 'subject-documents-shared' && r === 'gateway' && c === 'yantai'),
      JSON.stringify(qingdao),
    );
    assert.ok(
      qingdao.some(([a, r, c]) => a === 'document-shared' && r === 'gateway' && c === 'weihai'),
      JSON.stringify(qingdao),
    );
    for (const e of [...yantai, ...weihai]) assert.ok(!JSON.stringify(e).includes(subject.uscc), 'no identifier in the log');
  });

  it('anchors heads on the ledger and serves inclusion and consistency proofs that verify against them', async function () {
    const op = await token('yantai', 'operator');
    const first = await call('yantai', 'POST', '/api/v1/access-log/anchor', { token: op });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const a = first.body.anchored;
    await call('yantai', 'POST', '/api/v1/subjects/lookup', { token: op, body: { subject } });
    const second = (await call('yantai', 'POST', '/api/v1/access-log/anchor', { token: op })).body.anchored;
    assert.ok(second.treeSize > a.treeSize);
    assert.equal(second.previousTreeSize, a.treeSize);
    // The heads as Weifang's peer holds them.
    const weifang = await connectCity('weifang');
    try {
      const onLedger = await evaluateJson<any>(weifang.contract('accessLog'), 'GetTreeHead', { city: 'yantai', treeSize: a.treeSize });
      assert.equal(onLedger.rootHash, a.rootHash);
      const latest = await evaluateJson<any>(weifang.contract('accessLog'), 'GetTreeHead', { city: 'yantai' });
      assert.equal(latest.rootHash, second.rootHash);
    } finally {
      weifang.close();
    }
    const index = second.treeSize - 1;
    const entry = await call('yantai', 'GET', `/api/v1/access-log/entries/${index}?treeSize=${second.treeSize}`, { token: op });
    assert.equal(entry.status, 200, JSON.stringify(entry.body));
    assert.equal(entry.body.entry.action, 'subject-lookup');
    assert.equal(verifyInclusion(accessEntryHash(entry.body.entry), entry.body.proof), true);
    assert.equal(entry.body.proof.root, second.rootHash);
    const cons = await call('yantai', 'GET', `/api/v1/access-log/consistency?first=${a.treeSize}&second=${second.treeSize}`, { token: op });
    assert.equal(cons.status, 200, JSON.stringify(cons.body));
    assert.equal(verifyConsistency(a.treeSize, second.treeSize, a.rootHash, second.rootHash, cons.body.proof), true);
    assert.equal(verifyConsistency(a.treeSize, second.treeSize, a.rootHash, second.rootHash, cons.body.proof.slice(1)), false);
    const bad = await call('yantai', 'GET', `/api/v1/access-log/consistency?first=${second.treeSize}&second=${a.treeSize}`, { token: op });
    assert.equal(bad.status, 400);
  });

  it("keeps another city from overwriting a city's anchored head (owner's key-level policy; heads name their city)", async function () {
    const all = await gateways();
    const log = all.qingdao.services.accessLog;
    await log.anchor();
    const before = await log.anchoredHead();
    assert.ok(before);
    await log.record({ action: 'access-report', subjectPseudonym: pseudonym, principal: undefined });
    const { head, jws } = await log.signHead();
    const input = {
      treeSize: head.treeSize,
      rootHash: head.rootHash,
      timestamp: head.timestamp,
      signedTreeHead: jws,
      consistencyProof: log.consistency(before.treeSize, head.treeSize),
    };
    const qingdao = await connectCity('qingdao');
    const yantai = await connectCity('yantai');
    try {
      // Qingdao's valid head, endorsed by Yantai's and Weihai's peers only: validation fails on the owner's policy.
      await assert.rejects(
        submitJson(qingdao.contract('accessLog'), 'AnchorTreeHead', input, ['YantaiMSP', 'WeihaiMSP']),
        (err) => /ENDORSEMENT_POLICY_FAILURE/.test(fabricErrorText(err)) || /code:? ?10\b/.test(fabricErrorText(err)),
      );
      // Yantai submitting it: the head names Qingdao, and Yantai can write only its own log's heads.
      await assert.rejects(submitJson(yantai.contract('accessLog'), 'AnchorTreeHead', input), (err) =>
        /INVALID_ARGUMENT/.test(fabricErrorText(err)),
      );
      const after = await evaluateJson<any>(yantai.contract('accessLog'), 'GetTreeHead', { city: 'qingdao' });
      assert.equal(after.treeSize, before.treeSize, 'the anchored head did not change');
      assert.equal(after.rootHash, before.rootHash);
    } finally {
      qingdao.close();
      yantai.close();
    }
  });

  it('produces the subject access report over all five cities, by REST, verified, and it verifies with the standard tools', async function () {
    this.timeout(900_000); // the standard-tools recipe starts python3 and the peer CLI many times: minutes on a loaded machine
    const res = await call('weifang', 'POST', '/api/v1/subjects/access-report', {
      token: await token('weifang', 'operator'),
      body: { subject },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    report = res.body;
    assert.equal(report.subjectPseudonym, pseudonym);
    assert.equal(report.verified, true, JSON.stringify(Object.values(report.cities).map((p: any) => p.problems)));
    assert.deepEqual(Object.keys(report.cities), ['qingdao', 'yantai', 'weihai', 'weifang', 'rizhao']);
    const actions = new Set(report.accesses.map((a: any) => `${a.log}:${a.action}`));
    for (const want of [
      'yantai:subject-lookup',
      'weihai:document-fetched',
      'rizhao:recognition',
      'qingdao:document-shared',
      'weifang:access-report',
    ])
      assert.ok(actions.has(want), `${want} in ${[...actions].join(', ')}`);
    assert.ok(!JSON.stringify(report).includes(subject.uscc), 'the report names the subject by pseudonym only');

    const dir = await mkdtemp(join(tmpdir(), 'jcc-access-report-'));
    const file = join(dir, 'report.json');
    await writeFile(file, JSON.stringify(report, null, 2));
    const ok = await verifyReport(file);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /ok {3}yantai entry \d+ \(subject-lookup/);
    assert.match(ok.out, /ok {3}qingdao head signature/);
    assert.match(ok.out, /VALID$/m);
    // An access removed from sight: another accessor written into a proven entry.
    const altered = structuredClone(report);
    const part = altered.cities.yantai;
    part.entries[0].entry.accessor = { role: 'operator', city: 'yantai', subject: 'nobody' };
    await writeFile(file, JSON.stringify(altered));
    const bad = await verifyReport(file);
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.out, /FAIL yantai entry \d+ .*altered/);
    assert.match(bad.out, /INVALID$/m);
  });

  it('detects a stored entry altered after its head was anchored', async function () {
    const all = await gateways();
    const log = all.yantai.services.accessLog;
    await log.anchor();
    const op = await token('yantai', 'operator');
    const clean = await call('yantai', 'GET', '/api/v1/access-log/audit', { token: op });
    assert.equal(clean.body.consistent, true, JSON.stringify(clean.body));
    const [index] = await log.indexesOf(pseudonym);
    assert.notEqual(index, undefined);
    const table = all.yantai.services.store.table<AccessLogEntry>('accesslog.entries');
    const key = String(index).padStart(16, '0');
    const original = (await table.get(key)) as AccessLogEntry;
    await table.put(key, { ...original, accessor: { role: 'operator', city: 'yantai', subject: 'someone else' } });
    try {
      const audit = await call('yantai', 'GET', '/api/v1/access-log/audit', { token: op });
      assert.equal(audit.body.consistent, false);
      assert.deepEqual(audit.body.alteredEntries, [index]);
      assert.notEqual(audit.body.recomputedRoot, audit.body.anchored.rootHash, 'the stored entries no longer give the anchored root');
      const res = await call('weifang', 'POST', '/api/v1/subjects/access-report', {
        token: await token('weifang', 'operator'),
        body: { subject },
      });
      assert.equal(res.body.verified, false);
      assert.equal(res.body.cities.yantai.status, 'failed');
      assert.match(res.body.cities.yantai.problems.join('; '), /altered/);
    } finally {
      await table.put(key, original);
    }
    assert.equal((await call('yantai', 'GET', '/api/v1/access-log/audit', { token: op })).body.consistent, true);
  });
});
