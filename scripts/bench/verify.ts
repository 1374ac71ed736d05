/**
 * Workload 2: verification. A pool of valid anchored documents of the five
 * cities (issued for the purpose, most in Merkle batches, some alone) is
 * verified at one city's gateway (Weihai's) with autocannon: 64 connections
 * for 30 s against `POST /api/v1/verify`, the verdicts read from the local
 * event index; then the same against a gateway process reading every fact
 * from the peer (`--verify-source peer`). Both are gateway processes of the
 * benchmark's own (each with its own store, one after the other, rate limit off).
 */
import autocannon from 'autocannon';
import { CITY_IDS, type CityId } from '@jcc/domain';
import { cpuMsPer, observed, type BenchContext } from './context.js';
import { fmt, logger, runPool, sleep } from './common.js';
import { fabricCpu, type CpuBreakdown, type FabricFigures } from './fabric.js';
import { gatewayMetrics, gatewayUrl, startBenchGateway, anchoredCount, type BenchGateway } from './gateways.js';
import { send } from './http.js';
import { issueDocuments, readStates, waitAnchored } from './issue.js';
import { total } from './prom.js';
import { memoryOf } from './memory.js';
import { round } from './stats.js';

const VERIFIER: CityId = 'weihai';
const PORTS = { index: 8111, peer: 8112 } as const;

/** Figures of one verification run. */
export interface VerifyRunFigures {
  source: 'index' | 'peer';
  connections: number;
  seconds: number;
  /** Answers with status 200. */
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 200 answers whose verdict was not `valid: true` (every pool document is valid). */
  invalidVerdicts: number;
  /** Ledger look-ups of the verifications by where they were answered and by kind (gateway counter). */
  lookups: { index: Record<string, number>; peer: Record<string, number> };
  /** Peak resident memory of the verifying gateway process since it started (VmHWM), MiB. */
  peakRssMiB: number | undefined;
  /** CPU time of the verifying gateway process per answered verification, ms. */
  gatewayCpuMsPerRequest: number | null;
  /** CPU time of the peers, ordering nodes and chaincode servers together per answered verification, ms. */
  fabricCpuMsPerRequest: number | null;
  fabric: FabricFigures;
  cpu: CpuBreakdown;
}

/** Figures of workload 2. */
export interface VerifyFigures {
  pool: { documents: number; byCity: Record<string, number>; batch: number; single: number; prepareSeconds: number };
  verifier: CityId;
  index?: VerifyRunFigures;
  peer?: VerifyRunFigures;
  /** index.reqPerSec / peer.reqPerSec */
  indexToPeerRatio?: number | null;
}

interface PoolEntry {
  city: CityId;
  body: Buffer;
  batch: boolean;
}

/** Issues the pool at each city's running gateway, waits for the anchoring, reads each document and its proof back. */
async function preparePool(ctx: BenchContext, log: (line: string) => void): Promise<PoolEntry[]> {
  const perCity = ctx.options.sizes.verifyPoolPerCity;
  const singles = Math.max(1, Math.round(perCity * ctx.options.sizes.verifyPoolSingleShare));
  const clientsPerJob = Math.max(2, Math.floor(ctx.options.sizes.clients / (CITY_IDS.length * 2)));
  log(`issuing ${fmt(perCity)} documents in each of the five cities (${singles} alone, ${perCity - singles} in batches)`);
  const jobs = CITY_IDS.flatMap((city) => [
    { city, mode: 'single' as const, count: singles },
    { city, mode: 'batch' as const, count: perCity - singles },
  ]);
  const pool: PoolEntry[] = [];
  await Promise.all(
    jobs.map(async (job) => {
      const url = gatewayUrl(job.city);
      const baseline = await anchoredCount(url, job.mode);
      const issued = await issueDocuments({
        url,
        city: job.city,
        mode: job.mode,
        count: job.count,
        clients: clientsPerJob,
        subjectBase: 20_000_000 + (job.mode === 'batch' ? 1_000_000 : 0),
        reportType: 'bench-verify-pool',
      });
      if (issued.failed) log(`${job.city} ${job.mode}: ${issued.failed} issue requests failed (${issued.firstError ?? ''})`);
      await waitAnchored({
        url,
        mode: job.mode,
        baseline,
        expected: issued.ids.length,
        stallMs: 180_000,
        log,
        label: `pool ${job.city} ${job.mode}`,
      });
      let { states } = await readStates(url, job.city, issued.ids);
      // The gateway's counter may include documents of earlier runs still waiting; give ours up to a minute more.
      for (let attempt = 0; attempt < 30 && states.some((s) => s.state === 'pending'); attempt++) {
        await sleep(2000);
        const again = await readStates(
          url,
          job.city,
          states.filter((s) => s.state === 'pending').map((s) => s.id),
        );
        states = [...states.filter((s) => s.state !== 'pending'), ...again.states];
      }
      for (const s of states) {
        if (s.state !== 'anchored') continue;
        if (job.mode === 'batch' && !s.proof) continue;
        const body = job.mode === 'batch' ? { jws: s.jws, proof: s.proof } : { jws: s.jws };
        pool.push({ city: job.city, body: Buffer.from(JSON.stringify(body)), batch: job.mode === 'batch' });
      }
    }),
  );
  // Interleave cities and modes so every stretch of requests is a mix.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as PoolEntry, pool[i] as PoolEntry];
  }
  return pool;
}

/** One autocannon run over the pool; counts verdicts that are not valid. */
async function cannon(url: string, pool: readonly PoolEntry[], connections: number, seconds: number, title: string) {
  let next = 0;
  let invalid = 0;
  const instance = autocannon({
    url: `${url}/api/v1/verify`,
    title,
    connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        setupRequest: (request) => ({ ...request, body: (pool[next++ % pool.length] as PoolEntry).body }),
        onResponse: (status, body) => {
          if (status === 200 && !body.includes('"valid":true')) invalid++;
        },
      },
    ],
  });
  const result = await instance;
  return { result, invalid };
}

async function runOne(
  ctx: BenchContext,
  source: 'index' | 'peer',
  pool: readonly PoolEntry[],
  log: (line: string) => void,
): Promise<VerifyRunFigures> {
  const { verifyConnections: connections, verifySeconds: seconds, verifyWarmupSeconds: warmup } = ctx.options.sizes;
  const name = `verify-${VERIFIER}-${source}`;
  let gateway: BenchGateway | undefined;
  try {
    gateway = await startBenchGateway(
      { name, city: VERIFIER, port: PORTS[source], verifySource: source, cpuProfile: ctx.options.profile, env: { JCC_LOG_LEVEL: 'info' } },
      log,
    );
    ctx.gateways.set(name, gateway.pid);
    ctx.memory.add(name, gateway.pid);
    // A few verdicts first: the pool must verify as valid here.
    let valid = 0;
    const probe = pool.slice(0, 20);
    await runPool(probe.length, 4, async (i) => {
      const reply = await send(`${gateway!.url}/api/v1/verify`, { raw: (probe[i] as PoolEntry).body, contentType: 'application/json' });
      if (reply.status === 200 && reply.text.includes('"valid":true')) valid++;
      else if (valid === 0) log(`probe verdict: ${reply.status} ${reply.text.slice(0, 400)}`);
    });
    log(`${source}: ${valid}/${probe.length} probe documents verify as valid; warming up ${warmup} s`);
    await cannon(gateway.url, pool, connections, warmup, `${source} warm-up`);
    await sleep(1000);
    const before = await gatewayMetrics(gateway.url);
    log(`${source}: ${connections} connections for ${seconds} s against ${gateway.url}/api/v1/verify`);
    const { result: run, fabric, cpu } = await observed(ctx, () => cannon(gateway!.url, pool, connections, seconds, source), VERIFIER);
    const after = await gatewayMetrics(gateway.url);
    ctx.memory.sample();
    const lookups = (source: 'index' | 'peer'): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const kind of new Set(after.filter((x) => x.name === 'jcc_ledger_lookups_total').map((x) => x.labels.kind ?? '?'))) {
        const where = { source, kind };
        const n = Math.round(total(after, 'jcc_ledger_lookups_total', where) - total(before, 'jcc_ledger_lookups_total', where));
        if (n > 0) out[kind] = n;
      }
      return out;
    };
    const r = run.result;
    const ok = r['2xx'];
    const figures: VerifyRunFigures = {
      source,
      connections,
      seconds: r.duration,
      requests: ok,
      reqPerSec: round(ok / r.duration, 1),
      p50Ms: r.latency.p50,
      p90Ms: r.latency.p90,
      p99Ms: r.latency.p99,
      maxMs: r.latency.max,
      meanMs: round(r.latency.mean, 2),
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      invalidVerdicts: run.invalid,
      lookups: { index: lookups('index'), peer: lookups('peer') },
      peakRssMiB: ((hwm) => (hwm === undefined ? undefined : round(hwm / 1024, 1)))(memoryOf(gateway.pid)?.hwmKiB),
      gatewayCpuMsPerRequest: cpuMsPer(cpu, name, ok),
      fabricCpuMsPerRequest: ok > 0 ? round((fabricCpu(cpu) * 1000) / ok, 2) : null,
      fabric,
      cpu,
    };
    log(
      `${source}: ${fmt(figures.reqPerSec)} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms ` +
        `(${fmt(ok)} answers; gateway CPU ${figures.gatewayCpuMsPerRequest} ms and Fabric CPU ${figures.fabricCpuMsPerRequest} ms per verification; ${r.non2xx} non-2xx, ${r.errors} errors, ${run.invalid} not valid; look-ups ${JSON.stringify(figures.lookups)}; CPU ${JSON.stringify(cpu.seconds)})`,
    );
    return figures;
  } finally {
    await gateway?.stop();
  }
}

/** Runs workload 2. */
export async function benchVerification(ctx: BenchContext, onPartial: (f: VerifyFigures) => void): Promise<VerifyFigures> {
  const log = logger('verify');
  const t0 = performance.now();
  const pool = await preparePool(ctx, log);
  const byCity: Record<string, number> = {};
  for (const p of pool) byCity[p.city] = (byCity[p.city] ?? 0) + 1;
  const batch = pool.filter((p) => p.batch).length;
  const out: VerifyFigures = {
    pool: { documents: pool.length, byCity, batch, single: pool.length - batch, prepareSeconds: round((performance.now() - t0) / 1000, 1) },
    verifier: VERIFIER,
  };
  log(`pool of ${fmt(pool.length)} anchored documents ready (${JSON.stringify(byCity)}) in ${out.pool.prepareSeconds} s`);
  if (pool.length === 0) throw new Error('no document of the pool could be anchored');
  out.index = await runOne(ctx, 'index', pool, log);
  onPartial(out);
  out.peer = await runOne(ctx, 'peer', pool, log);
  out.indexToPeerRatio = out.peer.reqPerSec > 0 ? round(out.index.reqPerSec / out.peer.reqPerSec, 1) : null;
  log(`index/peer = ${fmt(out.indexToPeerRatio, 1)}×`);
  return out;
}
