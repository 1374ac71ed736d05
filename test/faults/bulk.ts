/**
 * The issuing gateway SIGKILLed in the middle of its bulk uploads, while the mixed load runs
 * through the other gateways: a gateway of its own (Weihai, which the mixed load leaves
 * alone, so its anchors can be counted apart) takes an NDJSON report upload
 * (`POST /api/v1/reports/bulk`, with an Idempotency-Key) and an evaluation import
 * (`POST /api/v1/evaluations/bulk`, a job); it is killed once both are under way, started
 * again, the upload is re-sent with the same key (as a client does when its answer was cut
 * off) and the job resumes by itself. Every report answered is followed until anchored and
 * every evaluation line is looked up at another city.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read answers as loosely typed JSON */

import { join } from 'node:path';
import type { CityId } from '@jcc/domain';

import {
  call,
  callAt,
  dataDir,
  exited,
  runTag,
  spawnedOperatorToken,
  spawnGateway,
  stopChild,
  streamNdjson,
  testUscc,
  token,
  until,
  waitReady,
} from '../gateway/harness.js';
import { anchorEvents, followAnchoredAt, lastSeq, type ExtraFigures, type ScenarioMarks } from './scenario.js';

const CITY: CityId = 'weihai';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

/** Sizes of the uploads and when the kill comes. */
export interface BulkKillPlan {
  /** Lines of the report upload (every `singleEvery`-th anchored singly, the others in batches). */
  reports: number;
  singleEvery: number;
  /** Lines of the evaluation import, recorded in chunks of `chunkSize`. */
  evaluations: number;
  chunkSize: number;
  /** The kill comes once this many report lines were answered and a first evaluation chunk committed. */
  killAfterLines: number;
}

/** A bulk-kill scenario: `run` is the scenario body, `figures` what it adds to the load's record. */
export interface BulkKill {
  run(marks: ScenarioMarks): Promise<void>;
  figures(): Promise<ExtraFigures>;
  /** Stops the gateway (SIGTERM) if it still runs. */
  stop(): Promise<void>;
}

/** Starts Weihai's gateway of its own (port `JCC_TEST_FAULT_BULK_PORT`, default 18123) and prepares the uploads. */
export async function bulkKill(plan: BulkKillPlan): Promise<BulkKill> {
  const port = Number(process.env.JCC_TEST_FAULT_BULK_PORT ?? 18123);
  const store = join(dataDir, `${CITY}-fault-bulk`);
  const url = `http://127.0.0.1:${port}`;
  // Small chunks, two in flight: the import is still under way when the kill comes.
  const settings = { JCC_BULK_CHUNK_SIZE: String(plan.chunkSize), JCC_BULK_IN_FLIGHT: '2' };
  const spawn = () => {
    const before = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));
    Object.assign(process.env, settings);
    try {
      return spawnGateway(CITY, port, store);
    } finally {
      for (const [k, v] of Object.entries(before)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
  let child = spawn();
  await waitReady(url, 180_000);
  const operator = await spawnedOperatorToken(CITY, store, { ttlSeconds: 7200 });
  const regulator = await token('rizhao', 'regulator', { ttlSeconds: 7200 });
  const since = await lastSeq('rizhao', regulator);
  // Nine characters of USCC body per line (testUscc keeps the last nine): the run, the kind, the line.
  const tag = runTag.slice(-4);
  const reportLines = Array.from({ length: plan.reports }, (_, i) =>
    JSON.stringify({
      subject: { kind: 'enterprise', uscc: testUscc(`${tag}R${String(i).padStart(4, '0')}`) },
      reportType: 'publicCreditReport',
      content: { faultBulk: i },
      validUntil: inAYear(),
      anchor: i % plan.singleEvery === 0 ? 'single' : 'batch',
    }),
  );
  const upload = reportLines.join('\n') + '\n';
  const evaluationUscc = (i: number) => testUscc(`${tag}E${String(i).padStart(4, '0')}`);
  const evaluations =
    Array.from({ length: plan.evaluations }, (_, i) =>
      JSON.stringify({
        id: `wh-fault-bulk-${runTag}-${i}`,
        subject: { kind: 'enterprise', uscc: evaluationUscc(i) },
        scheme: `fault-bulk-${runTag}`,
        grade: 'B',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        validUntil: inAYear(),
        evidence: `fault bulk ${i}`,
      }),
    ).join('\n') + '\n';
  const key = `fault-bulk-${runTag}`;
  const errors: Record<string, number> = {};
  const answered = new Map<number, any>();
  let answeredBeforeKill = 0;
  let replayed = 0;
  let jobId = '';
  let committedBeforeKill = 0;
  let killedAt = 0;
  let backAt = 0;
  let killed = false;
  const job = async (): Promise<any> => (await callAt(url, 'GET', `/api/v1/jobs/${jobId}`, { token: operator })).body;

  const progress = (line: string) => process.stdout.write(`      bulk kill: ${line}\n`);

  const run = async (marks: ScenarioMarks): Promise<void> => {
    const posted = await fetch(`${url}/api/v1/evaluations/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/x-ndjson' },
      body: evaluations,
    });
    if (posted.status !== 202) throw new Error(`the evaluation import answered ${posted.status}`);
    jobId = ((await posted.json()) as { id: string }).id;
    let lines = 0;
    let jobStarted = false;
    const first = streamNdjson(`${url}/api/v1/reports/bulk`, { token: operator, body: upload, idempotencyKey: key }, (a) => {
      lines++;
      if (typeof a.id === 'string') answered.set(a.line, a);
    });
    // Kill once both uploads are under way: report lines answered, an evaluation chunk committed.
    for (;;) {
      if (!jobStarted) jobStarted = Number((await job()).committed ?? 0) > 0;
      if (jobStarted && lines >= plan.killAfterLines) break;
      if (lines >= plan.reports)
        throw new Error(`the report upload ended before the kill (job ${jobStarted ? 'under way' : 'not started'})`);
      await pause(50);
    }
    const atKill = await job();
    committedBeforeKill = Number(atKill.committed ?? 0);
    if (atKill.status === 'done') throw new Error('the evaluation import was done before the kill');
    progress(`SIGKILL after ${lines} report lines answered, ${committedBeforeKill} evaluations committed`);
    killed = true;
    child.kill('SIGKILL');
    killedAt = Date.now();
    marks.fault();
    await exited(child);
    const cut = await first;
    answeredBeforeKill = answered.size;
    if (!cut.cutOff || answeredBeforeKill >= plan.reports) throw new Error('the report upload was not cut off by the kill');
    child = spawn();
    killed = false;
    // Ready = its index caught up with the blocks committed meanwhile: minutes on a loaded machine.
    await waitReady(url, 600_000);
    backAt = Date.now();
    progress(`ready again after ${Math.round((backAt - killedAt) / 1000)} s; re-sending the upload`);
    marks.repaired();
    // A client that lost the answer sends the upload again, with the same key, until answered in full.
    for (let attempt = 0; ; attempt++) {
      const again = await streamNdjson(`${url}/api/v1/reports/bulk`, { token: operator, body: upload, idempotencyKey: key });
      const summary = again.answers.at(-1)?.summary;
      if (again.status === 200 && summary) {
        for (const a of again.answers) {
          if (typeof a.id !== 'string') continue;
          const earlier = answered.get(a.line);
          if (earlier && (earlier.id !== a.id || earlier.jws !== a.jws || a.replayed !== true)) {
            errors['bulk re-send answered a line differently'] = (errors['bulk re-send answered a line differently'] ?? 0) + 1;
          }
          if (a.replayed === true) replayed++;
          answered.set(a.line, a);
        }
        if (summary.refused) errors[`bulk re-send: ${summary.refused} lines refused`] = 1;
        break;
      }
      errors[`bulk re-send ${again.status}`] = (errors[`bulk re-send ${again.status}`] ?? 0) + 1;
      if (attempt > 20) break;
      await pause(1000);
    }
  };

  const figures = async (): Promise<ExtraFigures> => {
    progress('waiting for the resumed evaluation import');
    const done = await until(job, (j) => j.status === 'done' || j.status === 'failed', 600_000, 'the resumed evaluation job done');
    progress(`import ${done.status}; following ${answered.size} reports until anchored`);
    // Reports: each answered document followed until anchored, then the anchors counted at Rizhao.
    const docs = [...answered.values()];
    const { anchored: anchoredIds } = await followAnchoredAt(
      url,
      operator,
      docs.map((d) => d.id),
      300_000,
    );
    const batchDocs = docs.filter((d) => d.anchor === 'batch' && anchoredIds.has(d.id)).length;
    let events = await anchorEvents('rizhao', regulator, since, new Set([CITY]));
    for (let i = 0; i < 60 && events.batchLeaves < batchDocs; i++) {
      await pause(500);
      events = await anchorEvents('rizhao', regulator, since, new Set([CITY]));
    }
    const reportDuplicates =
      docs.filter((d) => d.anchor === 'single' && (events.single.get(d.id) ?? 0) > 1).length + Math.max(0, events.batchLeaves - batchDocs);
    progress(`${anchoredIds.size} reports anchored; looking the ${plan.evaluations} evaluations up at Yantai`);
    // Evaluations: every line looked up at Yantai, from the blocks; once each.
    const yantai = await token('yantai', 'operator', { ttlSeconds: 3600 });
    const lookup = async (n: number): Promise<number> => {
      const r = await call('yantai', 'POST', '/api/v1/evaluations/lookup', {
        token: yantai,
        body: { subject: { kind: 'enterprise', uscc: evaluationUscc(n) } },
      });
      return r.status === 200 ? (r.body.evaluations as unknown[]).length : 0;
    };
    // Once Yantai's index holds the job's last line (it applies blocks in order), every line is looked up once.
    await until(
      () => lookup(plan.evaluations - 1),
      (count) => count > 0,
      120_000,
      'the last evaluation at Yantai',
    ).catch(() => 0);
    let recorded = 0;
    let twice = 0;
    const lines = Array.from({ length: plan.evaluations }, (_, i) => i);
    for (let i = 0; i < lines.length; i += 16) {
      for (const count of await Promise.all(lines.slice(i, i + 16).map(lookup))) {
        if (count > 0) recorded++;
        if (count > 1) twice++;
      }
    }
    return {
      accepted: docs.length + plan.evaluations,
      anchored: anchoredIds.size + recorded,
      duplicated: reportDuplicates + twice,
      errorsSeen: errors,
      recoverSeconds: Math.round((backAt - killedAt) / 100) / 10,
      detail: {
        gateway: CITY,
        reports: {
          lines: plan.reports,
          answeredBeforeKill,
          answered: docs.length,
          replayed,
          anchored: anchoredIds.size,
          duplicated: reportDuplicates,
        },
        evaluations: {
          lines: plan.evaluations,
          committedBeforeKill,
          jobStatus: done.status,
          resumed: done.resumed,
          committed: done.committed,
          alreadyRecorded: done.alreadyRecorded,
          rejected: done.rejected,
          recordedAtYantai: recorded,
          twice,
        },
      },
    };
  };

  const stop = async () => {
    if (killed) return;
    await stopChild(child);
  };
  return { run, figures, stop };
}
