/**
 * Workload 3: the annual evaluation load. Qingdao evaluates its enterprises
 * (the plan: 对全市58万家企业开展信用评价) and imports the results through
 * its gateway as one NDJSON upload (`POST /api/v1/evaluations/bulk`, a job
 * recorded in evaluation chunks), streamed as it is generated. The clock
 * runs from the first byte until every other city's gateway answers a
 * look-up (`POST /api/v1/evaluations/lookup`, from its own index of the
 * chunks) for the last record. Meanwhile Yantai is looked up one query at a
 * time (latency during the load); afterwards in rounds (latency after).
 * Then a second load of as many records on top shows whether the rate holds
 * as the ledger grows.
 *
 * CPU seconds per 1,000 records (by peers, ordering nodes, chaincode servers
 * and gateways) are measured too: unlike wall-clock time they hold on a
 * machine other work is loading.
 */
import { Readable } from 'node:stream';
import { CITY_IDS, type CityId } from '@jcc/domain';
import { observed, type BenchContext } from './context.js';
import { fmt, logger, secondsSince, sleep } from './common.js';
import { fabricCpu, waitPeersInSync, type CpuBreakdown, type FabricFigures } from './fabric.js';
import { tokenFor } from './gateways.js';
import { send, sendJson } from './http.js';
import { memoryOf } from './memory.js';
import { median, quantile, round } from './stats.js';
import { RUN_TAG, enterpriseUscc } from './subjects.js';

const LOADER: CityId = 'qingdao';
const QUERIER: CityId = 'yantai';
const SUBJECT_BASE = 100_000_000;
const GRADES = ['A', 'A', 'B', 'B', 'B', 'B', 'C', 'D'];

/** The job as `GET /api/v1/jobs/{id}` answers. */
interface Job {
  id: string;
  status: string;
  linesRead: number;
  rejected: number;
  committed: number;
  chunks: number;
  alreadyRecorded: number;
  duplicates: number;
  ratePerSecond: number;
  etaSeconds: number | null;
  errors: { line: number; detail: string }[];
  detail?: string;
}

/** Look-up latencies, ms. */
export interface LatencyFigures {
  queries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers without the subject's Qingdao evaluation (after the load), or failed. */
  mismatches: number;
}

/** One load of evaluations. */
export interface LoadFigures {
  records: number;
  /** Seconds from the first byte of the upload until every other city's look-up answers for the last record. */
  seconds: number;
  /** Seconds until the upload was received (202). */
  uploadSeconds: number;
  /** Seconds until the job was done at Qingdao (every chunk committed). */
  committedSeconds: number;
  /** Records committed per second (committed / committedSeconds). */
  recordsPerSec: number;
  /** Seconds after the job until each other city answered for the last record. */
  lagByCity: Partial<Record<CityId, number>>;
  committed: number;
  rejected: number;
  chunks: number;
  firstErrors: { line: number; detail: string }[];
  /** Look-ups at Yantai while the load ran. */
  lookupDuring: LatencyFigures;
  /** Peak resident memory of each gateway during the load, MiB. */
  gatewayPeakRssMiB: Record<string, number>;
  /** CPU ms per record of the network's processes (peers, ordering nodes, chaincode servers). */
  fabricCpuMsPerRecord: number | null;
  /** CPU seconds per 1,000 records, by kind of process. */
  cpuSecondsPer1000: Record<string, number>;
  fabric: FabricFigures;
  cpu: CpuBreakdown;
}

/** Figures of workload 3. */
export interface EvaluationFigures {
  records: number;
  /** The first load (580,000 with --full). */
  full: LoadFigures;
  /** The same number again on top of the first. */
  second?: LoadFigures;
  /** Look-ups at Yantai after the loads, in rounds. */
  lookupAfter?: LatencyFigures & { rounds: number; perRound: { p50Ms: number; p99Ms: number }[] };
}

function evaluationLine(index: number): string {
  return (
    JSON.stringify({
      subject: { kind: 'enterprise', uscc: enterpriseUscc(LOADER, SUBJECT_BASE + index) },
      scheme: 'qingdao-enterprise-2026',
      grade: GRADES[index % GRADES.length],
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      validUntil: '2027-12-31T00:00:00.000Z',
      evidence: `benchmark run ${RUN_TAG}, annual evaluation ${index}`,
    }) + '\n'
  );
}

/** The NDJSON upload of records [base, base + count), generated as it is read (1,000 lines a chunk). */
function upload(base: number, count: number): Readable {
  return Readable.from(
    (function* lines() {
      for (let start = base; start < base + count; start += 1000) {
        let chunk = '';
        for (let i = start; i < Math.min(base + count, start + 1000); i++) chunk += evaluationLine(i);
        yield chunk;
      }
    })(),
  );
}

/** One look-up of record `index` at `url`: latency and whether Qingdao's evaluation was in the answer. */
async function lookup(url: string, token: string, index: number): Promise<{ ms: number; found: boolean }> {
  const t0 = performance.now();
  const reply = await send(`${url}/api/v1/evaluations/lookup`, {
    token,
    json: { subject: { kind: 'enterprise', uscc: enterpriseUscc(LOADER, SUBJECT_BASE + index) } },
  });
  const ms = performance.now() - t0;
  if (reply.status !== 200) return { ms, found: false };
  const body = JSON.parse(reply.text) as { evaluations: { city?: string; grade?: string; state?: string }[] };
  return { ms, found: body.evaluations.some((e) => e.city === LOADER && e.grade === GRADES[index % GRADES.length]) };
}

function latency(times: number[], mismatches: number): LatencyFigures {
  return {
    queries: times.length,
    p50Ms: round(quantile(times, 0.5), 1),
    p99Ms: round(quantile(times, 0.99), 1),
    maxMs: round(times.length ? Math.max(...times) : 0, 1),
    mismatches,
  };
}

/** Peak VmRSS of each gateway while `work` runs (sampled every 250 ms). */
async function peakRss<T>(ctx: BenchContext, work: () => Promise<T>): Promise<{ result: T; peaks: Record<string, number> }> {
  const peaks: Record<string, number> = {};
  const sample = (): void => {
    for (const [name, pid] of ctx.gateways) {
      const m = memoryOf(pid);
      if (m) peaks[name] = Math.max(peaks[name] ?? 0, round(m.rssKiB / 1024, 1));
    }
  };
  const timer = setInterval(sample, 250);
  try {
    const result = await work();
    sample();
    return { result, peaks };
  } finally {
    clearInterval(timer);
  }
}

/** CPU seconds per 1,000 records by kind of process. */
function per1000(cpu: CpuBreakdown, records: number): Record<string, number> {
  const out: Record<string, number> = {};
  let gateways = 0;
  for (const [group, seconds] of Object.entries(cpu.seconds)) {
    if (group.startsWith('gateway.') || group.startsWith('evaluations-') || group.startsWith('lookup-')) gateways += seconds;
    else out[group] = round((seconds * 1000) / Math.max(records, 1), 3);
  }
  out.gateways = round((gateways * 1000) / Math.max(records, 1), 3);
  out['fabric (peers + ordering + chaincode)'] = round((fabricCpu(cpu) * 1000) / Math.max(records, 1), 3);
  return out;
}

/** One load of `count` records from `base`, measured until every other city answers for the last one. */
async function load(ctx: BenchContext, base: number, count: number, label: string, log: (line: string) => void): Promise<LoadFigures> {
  const url = ctx.urlOf(LOADER);
  const token = await tokenFor(LOADER, 'operator');
  const querierUrl = ctx.urlOf(QUERIER);
  const querierToken = await tokenFor(QUERIER, 'operator');
  const others = CITY_IDS.filter((c) => c !== LOADER);
  const otherTokens = new Map(await Promise.all(others.map(async (c) => [c, await tokenFor(c, 'operator')] as const)));
  log(`${label}: importing ${fmt(count)} evaluations through ${LOADER}'s POST /api/v1/evaluations/bulk (${url}), one NDJSON upload`);
  const during: number[] = [];
  let stopDuring = false;
  let uploadSeconds = 0;
  let committedSeconds = 0;
  const lagByCity: Partial<Record<CityId, number>> = {};
  const t0 = performance.now();
  const {
    result: { result: job, peaks },
    fabric,
    cpu,
  } = await observed(ctx, () =>
    peakRss(ctx, async () => {
      // Look-ups at Yantai while the load runs, one at a time.
      const duringLoop = (async () => {
        while (!stopDuring) {
          try {
            during.push((await lookup(querierUrl, querierToken, base + Math.floor(Math.random() * count))).ms);
          } catch {
            await sleep(50);
          }
        }
      })();
      const reply = await send(`${url}/api/v1/evaluations/bulk`, {
        token,
        raw: upload(base, count),
        contentType: 'application/x-ndjson',
        timeoutMs: 0,
      });
      uploadSeconds = secondsSince(t0);
      if (reply.status !== 202) throw new Error(`the import answered ${reply.status}: ${reply.text.slice(0, 500)}`);
      const id = (JSON.parse(reply.text) as Job).id;
      log(`${label}: upload received in ${fmt(uploadSeconds, 1)} s, job ${id}`);
      let job: Job;
      let lastLog = 0;
      for (;;) {
        job = await sendJson<Job>(`${url}/api/v1/jobs/${id}`, { token });
        if (job.status === 'done' || job.status === 'failed') break;
        if (performance.now() - lastLog > 5000) {
          lastLog = performance.now();
          log(
            `${label}: read ${fmt(job.linesRead)}, committed ${fmt(job.committed)}/${fmt(count)} (${fmt(job.ratePerSecond)}/s, ETA ${job.etaSeconds ?? '?'} s)`,
          );
        }
        await sleep(200);
      }
      committedSeconds = secondsSince(t0);
      if (job.status !== 'done') throw new Error(`the job failed: ${job.detail ?? ''}`);
      // Every other city's look-up answers for the last record.
      await Promise.all(
        others.map(async (city) => {
          const cityUrl = ctx.urlOf(city);
          for (;;) {
            const answer = await lookup(cityUrl, otherTokens.get(city) as string, base + count - 1).catch(() => ({ found: false }));
            if (answer.found) break;
            await sleep(50);
          }
          lagByCity[city] = round(secondsSince(t0) - committedSeconds, 2);
        }),
      );
      stopDuring = true;
      await duringLoop;
      return job;
    }),
  );
  const seconds = secondsSince(t0);
  const figures: LoadFigures = {
    records: count,
    seconds: round(seconds, 2),
    uploadSeconds: round(uploadSeconds, 2),
    committedSeconds: round(committedSeconds, 2),
    recordsPerSec: round(job.committed / Math.max(committedSeconds, 1e-9), 1),
    lagByCity,
    committed: job.committed,
    rejected: job.rejected,
    chunks: job.chunks,
    firstErrors: job.errors.slice(0, 5),
    lookupDuring: latency(during, 0),
    gatewayPeakRssMiB: peaks,
    fabricCpuMsPerRecord: job.committed ? round((fabricCpu(cpu) * 1000) / job.committed, 3) : null,
    cpuSecondsPer1000: per1000(cpu, job.committed),
    fabric,
    cpu,
  };
  log(
    `${label}: ${fmt(job.committed)} committed (${job.rejected} rejected) in ${job.chunks} chunks; queryable at every city after ${fmt(seconds, 1)} s ` +
      `(committed at ${fmt(committedSeconds, 1)} s: ${fmt(figures.recordsPerSec)} records/s); look-up during p50 ${figures.lookupDuring.p50Ms} ms, p99 ${figures.lookupDuring.p99Ms} ms; ` +
      `gateway peak RSS ${JSON.stringify(peaks)} MiB; CPU s per 1,000 records ${JSON.stringify(figures.cpuSecondsPer1000)}`,
  );
  return figures;
}

async function lookupsAfter(
  ctx: BenchContext,
  loaded: number,
  log: (line: string) => void,
): Promise<NonNullable<EvaluationFigures['lookupAfter']>> {
  const { lookupRounds: rounds, lookupQueries: queries } = ctx.options.sizes;
  const url = ctx.urlOf(QUERIER);
  const token = await tokenFor(QUERIER, 'operator');
  const perRound: { p50Ms: number; p99Ms: number }[] = [];
  const all: number[] = [];
  let mismatches = 0;
  for (let i = 0; i < 5; i++) await lookup(url, token, i);
  for (let r = 0; r < rounds; r++) {
    const times: number[] = [];
    for (let q = 0; q < queries; q++) {
      try {
        const answer = await lookup(url, token, Math.floor(Math.random() * loaded));
        times.push(answer.ms);
        if (!answer.found) mismatches++;
      } catch {
        mismatches++;
      }
    }
    perRound.push({ p50Ms: round(quantile(times, 0.5), 1), p99Ms: round(quantile(times, 0.99), 1) });
    all.push(...times);
    log(`look-up after, round ${r + 1}: p50 ${perRound.at(-1)?.p50Ms} ms, p99 ${perRound.at(-1)?.p99Ms} ms`);
  }
  return {
    ...latency(all, mismatches),
    rounds,
    p50Ms: round(median(perRound.map((p) => p.p50Ms)), 1),
    p99Ms: round(median(perRound.map((p) => p.p99Ms)), 1),
    perRound,
  };
}

/** Runs workload 3. */
export async function benchEvaluations(ctx: BenchContext): Promise<EvaluationFigures> {
  const log = logger('evaluations');
  const count = ctx.options.sizes.evaluations;
  const full = await load(ctx, 0, count, 'first load', log);
  const figures: EvaluationFigures = { records: count, full };
  await waitPeersInSync();
  figures.second = await load(ctx, count, count, 'second load on top', log);
  await waitPeersInSync();
  figures.lookupAfter = await lookupsAfter(ctx, 2 * count, log);
  log(
    `${fmt(count)} queryable at every city in ${fmt(full.seconds, 1)} s (second ${fmt(figures.second.seconds, 1)} s); look-up after p50 ${figures.lookupAfter.p50Ms} ms, p99 ${figures.lookupAfter.p99Ms} ms (${figures.lookupAfter.mismatches} mismatches)`,
  );
  return figures;
}
