/**
 * Workload 3: the annual evaluation load. Qingdao evaluates its enterprises
 * (the plan: 对全市58万家企业开展信用评价); the results are loaded through
 * Qingdao's gateway as one NDJSON upload (`POST /api/v1/evaluations/bulk`,
 * chunked by the gateway into RecordEvaluations transactions), streamed as it
 * is generated. Then another city (Yantai) looks subjects up across the five
 * cities (`POST /api/v1/subjects/lookup`), one query at a time, in rounds.
 */
import { Readable } from 'node:stream';
import type { CityId } from '@jcc/domain';
import { cpuMsPer, observed, type BenchContext } from './context.js';
import { fmt, logger, secondsSince, withTicker } from './common.js';
import { fabricCpu, waitPeersInSync, type CpuBreakdown, type FabricFigures } from './fabric.js';
import { gatewayMetrics, tokenFor } from './gateways.js';
import { send } from './http.js';
import { total } from './prom.js';
import { median, quantile, round } from './stats.js';
import { RUN_TAG, enterpriseUscc } from './subjects.js';

const LOADER: CityId = 'qingdao';
const QUERIER: CityId = 'yantai';
const SUBJECT_BASE = 100_000_000;
const GRADES = ['A', 'A', 'B', 'B', 'B', 'B', 'C', 'D'];

/** The answer of the bulk endpoint. */
interface BulkResult {
  lines: number;
  recorded: number;
  written: number;
  unchanged: number;
  invalid: number;
  failed: number;
  transactions: number;
  complete: boolean;
  seconds: number;
  errors: { line: number; detail: string }[];
}

/** Figures of workload 3. */
export interface EvaluationFigures {
  records: number;
  /** Records committed per second: recorded / wall time of the upload. */
  recordsPerSec: number | null;
  /** Seconds from the first byte sent to the answer. */
  totalSeconds: number;
  recorded: number;
  written: number;
  invalid: number;
  failed: number;
  transactions: number;
  /** The gateway's own measure of the upload (s). */
  gatewaySeconds: number;
  firstErrors: { line: number; detail: string }[];
  /** CPU time per record of Qingdao's gateway process, and of the network's processes together, ms. */
  gatewayCpuMsPerRecord: number | null;
  fabricCpuMsPerRecord: number | null;
  fabric: FabricFigures;
  cpu: CpuBreakdown;
  crossCityQuery?: CrossCityFigures;
}

/** Latency of Yantai's look-ups of Qingdao's subjects. */
export interface CrossCityFigures {
  city: CityId;
  rounds: number;
  queriesPerRound: number;
  /** Medians over the rounds of each round's percentile. */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  perRound: { p50Ms: number; p99Ms: number }[];
  /** Answers without the subject's Qingdao evaluation, or failed. */
  mismatches: number;
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

/** The NDJSON upload, generated as it is read (1,000 lines a chunk). */
function upload(count: number): Readable {
  return Readable.from(
    (function* lines() {
      for (let start = 0; start < count; start += 1000) {
        let chunk = '';
        for (let i = start; i < Math.min(count, start + 1000); i++) chunk += evaluationLine(i);
        yield chunk;
      }
    })(),
  );
}

async function crossCityQueries(ctx: BenchContext, loaded: number, log: (line: string) => void): Promise<CrossCityFigures> {
  const { lookupRounds: rounds, lookupQueries: queries } = ctx.options.sizes;
  const url = ctx.urlOf(QUERIER);
  const token = await tokenFor(QUERIER, 'operator');
  const perRound: { p50Ms: number; p99Ms: number }[] = [];
  const all: number[] = [];
  let mismatches = 0;
  log(`cross-city query: ${rounds} rounds of ${queries} look-ups at ${QUERIER} (${url}), one at a time`);
  // A few unmeasured look-ups first (connections, caches).
  for (let i = 0; i < 5; i++)
    await send(`${url}/api/v1/subjects/lookup`, {
      token,
      json: { subject: { kind: 'enterprise', uscc: enterpriseUscc(LOADER, SUBJECT_BASE + i) } },
    });
  for (let r = 0; r < rounds; r++) {
    const times: number[] = [];
    for (let q = 0; q < queries; q++) {
      const index = Math.floor(Math.random() * loaded);
      const t0 = performance.now();
      try {
        const reply = await send(`${url}/api/v1/subjects/lookup`, {
          token,
          json: { subject: { kind: 'enterprise', uscc: enterpriseUscc(LOADER, SUBJECT_BASE + index) } },
        });
        times.push(performance.now() - t0);
        const body = reply.status === 200 ? (JSON.parse(reply.text) as { evaluations: { city?: string; grade?: string }[] }) : undefined;
        if (!body?.evaluations.some((e) => e.city === LOADER && e.grade === GRADES[index % GRADES.length])) mismatches++;
      } catch {
        mismatches++;
      }
    }
    perRound.push({ p50Ms: round(quantile(times, 0.5), 1), p99Ms: round(quantile(times, 0.99), 1) });
    all.push(...times);
    log(`round ${r + 1}: p50 ${perRound.at(-1)?.p50Ms} ms, p99 ${perRound.at(-1)?.p99Ms} ms`);
  }
  return {
    city: QUERIER,
    rounds,
    queriesPerRound: queries,
    p50Ms: round(median(perRound.map((p) => p.p50Ms)), 1),
    p99Ms: round(median(perRound.map((p) => p.p99Ms)), 1),
    meanMs: round(all.reduce((a, b) => a + b, 0) / Math.max(all.length, 1), 1),
    maxMs: round(Math.max(...all), 1),
    perRound,
    mismatches,
  };
}

/** Runs workload 3. */
export async function benchEvaluations(ctx: BenchContext): Promise<EvaluationFigures> {
  const log = logger('evaluations');
  const count = ctx.options.sizes.evaluations;
  const url = ctx.urlOf(LOADER);
  const token = await tokenFor(LOADER, 'operator');
  const recordedBefore = total(await gatewayMetrics(url), 'jcc_bulk_evaluation_records_total', { outcome: 'recorded' });
  log(`loading ${fmt(count)} evaluations through ${LOADER}'s POST /api/v1/evaluations/bulk (${url}), one NDJSON upload`);
  const t0 = performance.now();
  const {
    result: reply,
    fabric,
    cpu,
  } = await observed(ctx, () =>
    withTicker(
      5000,
      async () => {
        const recorded = total(await gatewayMetrics(url), 'jcc_bulk_evaluation_records_total', { outcome: 'recorded' }) - recordedBefore;
        log(`committed ${fmt(recorded)}/${fmt(count)} (${fmt(recorded / secondsSince(t0))}/s)`);
      },
      () => send(`${url}/api/v1/evaluations/bulk`, { token, raw: upload(count), contentType: 'application/x-ndjson', timeoutMs: 0 }),
    ),
  );
  const seconds = secondsSince(t0);
  if (reply.status !== 200) throw new Error(`bulk upload answered ${reply.status}: ${reply.text.slice(0, 500)}`);
  const result = JSON.parse(reply.text) as BulkResult;
  const figures: EvaluationFigures = {
    records: count,
    recordsPerSec: result.recorded > 0 ? round(result.recorded / seconds, 1) : null,
    totalSeconds: round(seconds, 2),
    recorded: result.recorded,
    written: result.written,
    invalid: result.invalid,
    failed: result.failed,
    transactions: result.transactions,
    gatewaySeconds: result.seconds,
    firstErrors: result.errors.slice(0, 5),
    gatewayCpuMsPerRecord: cpuMsPer(cpu, ctx.nameOf(LOADER), result.recorded),
    fabricCpuMsPerRecord: result.recorded ? round((fabricCpu(cpu) * 1000) / result.recorded, 2) : null,
    fabric,
    cpu,
  };
  log(
    `${fmt(result.recorded)} recorded (${fmt(result.written)} new, ${result.invalid} invalid, ${result.failed} failed) in ${result.transactions} transactions, ` +
      `${fmt(seconds, 1)} s: ${fmt(figures.recordsPerSec)} records/s; ${fabric.blocks} blocks; CPU per record: gateway ${figures.gatewayCpuMsPerRecord} ms, Fabric ${figures.fabricCpuMsPerRecord} ms; CPU s ${JSON.stringify(cpu.seconds)}`,
  );
  await waitPeersInSync();
  figures.crossCityQuery = await crossCityQueries(ctx, Math.max(1, Math.min(count, result.lines)), log);
  log(
    `cross-city query p50 ${figures.crossCityQuery.p50Ms} ms, p99 ${figures.crossCityQuery.p99Ms} ms (${figures.crossCityQuery.mismatches} mismatches)`,
  );
  return figures;
}
