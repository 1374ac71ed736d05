/**
 * Evaluation imports on the real network: a job records an NDJSON upload in
 * chunks, lists the refused lines, and every city's index answers a look-up
 * from the chunks; re-sending records nothing twice; a correction supersedes
 * one record and keeps its history; one record's chunk proof verifies; and a
 * gateway killed with SIGKILL in the middle of a job resumes it after a
 * restart with nothing lost or recorded twice.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CITY_IDS, evaluationRecordHash, verifyInclusion, type CityId } from '@jcc/domain';
import {
  call,
  callAt,
  dataDir,
  exited,
  gateways,
  runTag,
  spawnedOperatorToken,
  spawnGateway,
  stopChild,
  testUscc,
  token,
  until,
  waitReady,
} from './harness.js';

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();
const validUntil = inAYear();
/** Nine characters of USCC body: the prefix, the index, and the run. */
const uscc = (prefix: string, i: number) => testUscc(`${prefix}${String(i).padStart(4, '0')}${runTag.slice(-4)}`);
const line = (prefix: string, i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `qd-${prefix}-${runTag}-${i}`,
    subject: { kind: 'enterprise', uscc: uscc(prefix, i) },
    scheme: `import-${runTag}`,
    grade: 'B',
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
    validUntil,
    evidence: `${prefix} ${i}`,
    ...extra,
  });

async function lookup(city: CityId, subject: string): Promise<any[]> {
  const answer = await call(city, 'POST', '/api/v1/evaluations/lookup', {
    token: await token(city, 'operator'),
    body: { subject: { kind: 'enterprise', uscc: subject } },
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.evaluations as any[];
}

async function importNdjson(lines: string[]): Promise<any> {
  const operator = await token('qingdao', 'operator');
  const posted = await call('qingdao', 'POST', '/api/v1/evaluations/bulk', { token: operator, raw: lines.join('\n') + '\n' });
  assert.equal(posted.status, 202, JSON.stringify(posted.body));
  assert.equal(posted.headers.get('location'), `/api/v1/jobs/${posted.body.id}`);
  return until(
    async () => (await call('qingdao', 'GET', `/api/v1/jobs/${posted.body.id}`, { token: operator })).body,
    (job) => job.status === 'done' || job.status === 'failed',
    120_000,
    'the job done',
  );
}

describe('evaluation imports', function () {
  this.timeout(300_000);
  const prefix = 'A';
  const count = 6;

  before(async () => {
    await gateways();
  });

  it('records the valid lines in chunks, lists the refused ones by line, and every other city finds the records', async () => {
    const lines = [...Array.from({ length: count }, (_, i) => line(prefix, i)), '{"not": "an evaluation"}', 'not json'];
    const job = await importNdjson(lines);
    assert.equal(job.status, 'done');
    assert.equal(job.linesRead, count + 2);
    assert.equal(job.committed, count);
    assert.deepEqual(
      job.errors.map((e: any) => e.line),
      [count + 1, count + 2],
    );
    for (const city of CITY_IDS.filter((c) => c !== 'qingdao')) {
      const found = await until(
        () => lookup(city, uscc(prefix, count - 1)),
        (records) => records.length > 0,
        60_000,
        `${city} finds the last record`,
      );
      assert.deepEqual(
        found.map((r) => [r.city, r.id, r.grade, r.state]),
        [['qingdao', `qd-${prefix}-${runTag}-${count - 1}`, 'B', 'current']],
      );
      assert.doesNotMatch(JSON.stringify(found), new RegExp(uscc(prefix, count - 1)), 'no identifier in the record');
    }
  });

  it('records nothing twice when the same file is sent again', async () => {
    await until(
      () => lookup('qingdao', uscc(prefix, count - 1)),
      (r) => r.length > 0,
      60_000,
      'Qingdao indexed the first upload',
    );
    const job = await importNdjson(Array.from({ length: count }, (_, i) => line(prefix, i)));
    assert.equal(job.status, 'done');
    assert.equal(job.committed, 0);
    assert.equal(job.alreadyRecorded, count);
    assert.equal((await lookup('yantai', uscc(prefix, 0))).length, 1);
  });

  it('refuses another content under a recorded id, and records a correction that supersedes it with its history', async () => {
    const conflicting = await importNdjson([line(prefix, 0, { grade: 'D' })]);
    assert.equal(conflicting.committed, 0);
    assert.equal(conflicting.errors[0]?.code, 'CONFLICT');
    const corrected = await importNdjson([
      line(prefix, 0, { id: `qd-${prefix}-${runTag}-0-fix`, grade: 'A', supersedes: `qd-${prefix}-${runTag}-0` }),
    ]);
    assert.equal(corrected.committed, 1);
    const records = await until(
      () => lookup('weihai', uscc(prefix, 0)),
      (r) => r.length === 2,
      60_000,
      'Weihai sees the correction',
    );
    assert.deepEqual(
      records.map((r) => [r.id, r.grade, r.state, r.supersededBy ?? null]),
      [
        [`qd-${prefix}-${runTag}-0`, 'B', 'superseded', `qd-${prefix}-${runTag}-0-fix`],
        [`qd-${prefix}-${runTag}-0-fix`, 'A', 'current', null],
      ],
    );
  });

  it('gives one record with its anchor, and its chunk proof verifies', async () => {
    const id = `qd-${prefix}-${runTag}-2`;
    const answer = await call('rizhao', 'GET', `/api/v1/evaluations/qingdao/${id}`, { token: await token('rizhao', 'operator') });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const { record, anchor } = answer.body;
    assert.equal(record.id, id);
    assert.ok(anchor.txId && Number.isInteger(anchor.blockNumber));
    assert.equal(anchor.proof.root, anchor.chunkId, 'the proof ends at the chunk id, the root stored on the ledger');
    assert.equal(anchor.proof.treeSize, count);
    assert.ok(verifyInclusion(evaluationRecordHash(record), anchor.proof));
    assert.ok(!verifyInclusion(evaluationRecordHash({ ...record, grade: 'A' }), anchor.proof));
  });
});

describe('an evaluation import whose gateway is killed in the middle', function () {
  this.timeout(600_000);
  const PORT = Number(process.env.JCC_TEST_IMPORT_CRASH_PORT ?? 18113);
  const STORE = join(dataDir, 'qingdao-import-crash');
  const url = `http://127.0.0.1:${PORT}`;
  const prefix = 'K';
  const count = 1200;
  let child: ChildProcess | undefined;
  let operator: string;
  let chunkSize: string | undefined;

  const start = async (): Promise<void> => {
    child = spawnGateway('qingdao', PORT, STORE);
    await waitReady(url, 180_000);
  };

  before(async function () {
    await gateways();
    chunkSize = process.env.JCC_BULK_CHUNK_SIZE;
    process.env.JCC_BULK_CHUNK_SIZE = '40';
    await start();
    operator = await spawnedOperatorToken('qingdao', STORE);
  });

  after(async function () {
    if (chunkSize === undefined) delete process.env.JCC_BULK_CHUNK_SIZE;
    else process.env.JCC_BULK_CHUNK_SIZE = chunkSize;
    await stopChild(child);
  });

  const job = async (id: string): Promise<any> => (await callAt(url, 'GET', `/api/v1/jobs/${id}`, { token: operator })).body;

  it('resumes after a restart and records every line exactly once', async function () {
    const body = Array.from({ length: count }, (_, i) => line(prefix, i)).join('\n') + '\n';
    const posted = await fetch(`${url}/api/v1/evaluations/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/x-ndjson' },
      body,
    });
    assert.equal(posted.status, 202);
    const { id } = (await posted.json()) as { id: string };
    const before = await until(
      () => job(id),
      (j) => j.committed > 0,
      120_000,
      'a first chunk committed',
    );
    child?.kill('SIGKILL');
    await exited(child as ChildProcess);
    assert.ok(before.committed < count, `killed in the middle (${before.committed} of ${count} committed)`);

    await start();
    const done = await until(
      () => job(id),
      (j) => j.status === 'done' || j.status === 'failed',
      300_000,
      'the resumed job done',
    );
    assert.equal(done.status, 'done', JSON.stringify(done));
    assert.equal(done.resumed, 1);
    assert.equal(done.rejected, 0);
    assert.equal(done.committed + done.alreadyRecorded, count, 'every line on the ledger');

    // Yantai's index, from the blocks: every record there, each exactly once.
    await until(
      () => lookup('yantai', uscc(prefix, count - 1)),
      (r) => r.length > 0,
      120_000,
      'Yantai finds the last record',
    );
    const missing: number[] = [];
    const twice: number[] = [];
    for (let i = 0; i < count; i++) {
      const records = await lookup('yantai', uscc(prefix, i));
      if (records.length === 0) missing.push(i);
      if (records.length > 1) twice.push(i);
    }
    assert.deepEqual(missing, [], 'nothing lost');
    assert.deepEqual(twice, [], 'nothing recorded twice');
  });
});
