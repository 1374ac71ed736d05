/**
 * Workload 2: verification. A pool of valid anchored documents of the five
 * cities (issued for the purpose, most in Merkle batches, some alone) is
 * verified at one city's gateway (Weihai's) with autocannon: 64 connections
 * for 30 s against `POST /api/v1/verify`, the verdicts read from the local
 * event index (in memory, in verification workers); then the same against
 * the bare baseline (`verify-baseline.ts`: node:http, JSON parse, Ed25519
 * check, nothing else) on the same cores; then against a gateway process
 * reading every fact from the peer (`--verify-source peer`). The gateways are
 * processes of the benchmark's own (each with its own store, one after the
 * other, rate limit off). Last, freshness: documents of the pool are revoked
 * one at a time at their issuing city, and each of the five running city
 * gateways is asked to verify the document until it reports the revocation.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CITY_IDS, type CityId } from '@jcc/domain';
import { startProcess, stopProcess } from '../../network/src/processes.js';
import { cpuMsPer, observed, type BenchContext } from './context.js';
import { BENCH_DIR, ROOT, fmt, logger, messageOf, runPool, sleep } from './common.js';
import { fabricCpu, type CpuBreakdown, type FabricFigures } from './fabric.js';
import { gatewayMetrics, gatewayUrl, startBenchGateway, anchoredCount, tokenFor, type BenchGateway } from './gateways.js';
import { send, sendJson } from './http.js';
import { issueDocuments, readStates, waitAnchored } from './issue.js';
import { total } from './prom.js';
import { memoryOf } from './memory.js';
import { measureMemoryCost, type MemoryCost } from './verify-memory.js';
import { round } from './stats.js';

const VERIFIER: CityId = 'weihai';
const PORTS = { index: 8111, peer: 8112, baseline: 8113 } as const;
/** Verification worker threads of the index gateway. */
const WORKERS = 1;
/** Revocations of the freshness measure. */
const REVOCATIONS = 100;

/** Figures of one verification run. */
export interface VerifyRunFigures {
  /** `baseline`: the bare node:http server (parse + Ed25519 check only). */
  source: 'index' | 'peer' | 'baseline';
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
  /** The same in µs (process CPU ÷ answers; robust when other work loads the machine). */
  cpuMicrosPerRequest: number | null;
  /** CPU time of the load generator (autocannon, in the benchmark's process) per answer, µs. */
  clientCpuMicrosPerRequest: number | null;
  /** Verification worker threads of the gateway (index source). */
  workers?: number;
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
  /** The bare baseline on the same cores, right after the index run. */
  baseline?: VerifyRunFigures;
  peer?: VerifyRunFigures;
  /** index.reqPerSec / peer.reqPerSec */
  indexToPeerRatio?: number | null;
  /** index.reqPerSec / baseline.reqPerSec (target ≥ 0.5). */
  indexToBaselineRatio?: number | null;
  /** baseline.cpuMicrosPerRequest / index.cpuMicrosPerRequest: the same ratio by CPU time, robust under load. */
  indexToBaselineCpuRatio?: number | null;
  freshness?: FreshnessFigures;
  /** Heap bytes per record of the in-memory verification tables (one copy; the gateway holds 1 + workers copies). */
  memoryCost?: MemoryCost & { copies: number; projectedMiBFor100kSingleAnchors: number };
}

/** How soon the five cities' verification reports a revocation. */
export interface FreshnessFigures {
  revocations: number;
  /** Worst delay over every revocation and city, from the revocation's answer (committed) to the first verdict saying revoked, ms. */
  maxMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Worst delay by verifying city, ms. */
  byCity: Record<string, number>;
  /** Verdicts reporting the revocation whose ledgerHeight was not above the revocation's block (should be 0). */
  staleHeights: number;
  /** Revocations whose change was not reported by every city within 10 s. */
  missed: number;
  failed: number;
}

interface PoolEntry {
  city: CityId;
  id: string;
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
        pool.push({ city: job.city, id: s.id, body: Buffer.from(JSON.stringify(body)), batch: job.mode === 'batch' });
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
      {
        name,
        city: VERIFIER,
        port: PORTS[source],
        verifySource: source,
        cpuProfile: ctx.options.profile,
        env: { JCC_LOG_LEVEL: 'info', JCC_VERIFY_WORKERS: String(WORKERS) },
      },
      log,
    );
    ctx.gateways.set(name, gateway.pid);
    ctx.memory.add(name, gateway.pid);
    if (source === 'index') {
      // The verification workers load after the gateway is ready; until then its main thread verifies.
      const since = Date.now();
      while (total(await gatewayMetrics(gateway.url), 'jcc_verify_workers_ready', {}) < WORKERS && Date.now() - since < 120_000)
        await sleep(500);
      log(`${source}: ${total(await gatewayMetrics(gateway.url), 'jcc_verify_workers_ready', {})} verification workers ready`);
    }
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
      cpuMicrosPerRequest: microsPer(cpu, name, ok),
      clientCpuMicrosPerRequest: microsPer(cpu, 'bench-client', ok),
      ...(source === 'index' ? { workers: WORKERS } : {}),
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

/** CPU µs of one process (by name) per unit of work, or null. */
function microsPer(cpu: CpuBreakdown, name: string, units: number): number | null {
  const seconds = cpu.seconds[name];
  return seconds === undefined || units <= 0 ? null : round((seconds * 1e6) / units, 0);
}

/** The document keys the ledger holds for the five cities (read through the verifying gateway), as `<city>|<kid>` → JWK. */
async function registeredKeys(): Promise<Record<string, unknown>> {
  const { records } = await sendJson<{ records: Array<{ id: string; keys: Array<{ kid: string; use: string; jwk: unknown }> }> }>(
    `${gatewayUrl(VERIFIER)}/api/v1/cities`,
  );
  const out: Record<string, unknown> = {};
  for (const city of records) for (const key of city.keys) if (key.use === 'document') out[`${city.id}|${key.kid}`] = key.jwk;
  return out;
}

/** The bare baseline (`verify-baseline.ts`) over the same pool, on the same cores. */
async function runBaseline(ctx: BenchContext, pool: readonly PoolEntry[], log: (line: string) => void): Promise<VerifyRunFigures> {
  const { verifyConnections: connections, verifySeconds: seconds, verifyWarmupSeconds: warmup } = ctx.options.sizes;
  const name = 'verify-baseline';
  const keysFile = join(BENCH_DIR, 'verify-baseline-keys.json');
  await writeFile(keysFile, JSON.stringify(await registeredKeys()));
  const script = join(ROOT, 'scripts', 'bench', 'verify-baseline.ts');
  const { record } = await startProcess({
    name: `bench.${name}`,
    program: process.execPath,
    args: ['--import', 'tsx', script, String(PORTS.baseline), keysFile],
    cwd: ROOT,
    env: process.env,
    markers: [script],
    log: join(BENCH_DIR, 'logs', `${name}.log`),
  });
  const url = `http://127.0.0.1:${PORTS.baseline}`;
  try {
    ctx.gateways.set(name, record.pid);
    for (let attempt = 0; ; attempt++) {
      const reply = await send(`${url}/api/v1/verify`, { raw: (pool[0] as PoolEntry).body, contentType: 'application/json' }).catch(
        () => undefined,
      );
      if (reply?.status === 200) {
        if (!reply.text.includes('"valid":true')) log(`baseline: the first pool document does not verify (${reply.text})`);
        break;
      }
      if (attempt > 300) throw new Error('the verification baseline did not start within 60 s');
      await sleep(200);
    }
    log(`baseline (pid ${record.pid}): warming up ${warmup} s`);
    await cannon(url, pool, connections, warmup, 'baseline warm-up');
    await sleep(1000);
    log(`baseline: ${connections} connections for ${seconds} s against ${url}/api/v1/verify`);
    const { result: run, fabric, cpu } = await observed(ctx, () => cannon(url, pool, connections, seconds, 'baseline'), VERIFIER);
    const r = run.result;
    const ok = r['2xx'];
    const figures: VerifyRunFigures = {
      source: 'baseline',
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
      lookups: { index: {}, peer: {} },
      peakRssMiB: ((hwm) => (hwm === undefined ? undefined : round(hwm / 1024, 1)))(memoryOf(record.pid)?.hwmKiB),
      gatewayCpuMsPerRequest: cpuMsPer(cpu, name, ok),
      cpuMicrosPerRequest: microsPer(cpu, name, ok),
      clientCpuMicrosPerRequest: microsPer(cpu, 'bench-client', ok),
      fabricCpuMsPerRequest: ok > 0 ? round((fabricCpu(cpu) * 1000) / ok, 2) : null,
      fabric,
      cpu,
    };
    log(
      `baseline: ${fmt(figures.reqPerSec)} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms (${fmt(ok)} answers; ` +
        `${figures.cpuMicrosPerRequest} µs of server CPU and ${figures.clientCpuMicrosPerRequest} µs of client CPU per verification; ${run.invalid} not valid)`,
    );
    return figures;
  } finally {
    ctx.gateways.delete(name);
    await stopProcess(`bench.${name}`, 10_000);
  }
}

interface VerdictOutline {
  checks: Array<{ check: string; state: string; reason: string }>;
  ledgerHeight: number | null;
}

/**
 * Freshness: revokes `REVOCATIONS` pool documents one at a time at their
 * issuing city's running gateway; from its answer (the revocation committed
 * there), each of the five running city gateways verifies the document every
 * 20 ms until its verdict's status check says revoked. Each revocation's
 * polls come from a loopback address of their own (127.0.0.2, .3, ...), so
 * the gateways' per-address public rate limit does not hold them up.
 */
async function measureFreshness(pool: readonly PoolEntry[], log: (line: string) => void): Promise<FreshnessFigures> {
  const picked: PoolEntry[] = [];
  for (let i = 0; picked.length < REVOCATIONS && i < pool.length; i++) {
    const entry = pool[i] as PoolEntry;
    // Round-robin over the issuing cities.
    if (picked.filter((p) => p.city === entry.city).length < Math.ceil(REVOCATIONS / CITY_IDS.length)) picked.push(entry);
  }
  log(`freshness: revoking ${picked.length} documents one at a time; the five cities verify each until they report it`);
  const delays: number[] = [];
  const byCity: Record<string, number> = {};
  let stale = 0;
  let missed = 0;
  let failed = 0;
  for (const [n, entry] of picked.entries()) {
    const localAddress = `127.0.${Math.floor((n + 2) / 250)}.${((n + 2) % 250) + 2}`;
    let reply;
    try {
      reply = await send(`${gatewayUrl(entry.city)}/api/v1/reports/${entry.id}/revoke`, {
        token: await tokenFor(entry.city, 'operator'),
        json: { reason: 'benchmark freshness measure' },
      });
    } catch (err) {
      failed++;
      if (failed <= 3) log(`freshness: revoking ${entry.id} failed: ${messageOf(err)}`);
      continue;
    }
    const committed = performance.now();
    if (reply.status !== 200) {
      failed++;
      if (failed <= 3) log(`freshness: revoking ${entry.id}: ${reply.status} ${reply.text.slice(0, 200)}`);
      continue;
    }
    const block = (JSON.parse(reply.text) as { blockNumber?: number }).blockNumber;
    let complete = true;
    await Promise.all(
      CITY_IDS.map(async (city) => {
        for (;;) {
          const asked = performance.now();
          if (asked - committed > 10_000) {
            complete = false;
            return;
          }
          const answer = await send(`${gatewayUrl(city)}/api/v1/verify`, {
            raw: entry.body,
            contentType: 'application/json',
            localAddress,
          }).catch(() => undefined);
          if (answer?.status === 200) {
            const verdict = JSON.parse(answer.text) as VerdictOutline;
            if (verdict.checks.some((c) => c.check === 'status' && c.reason === 'revoked')) {
              // The verdict reflects the index as it was when the request arrived: at most this late.
              const delay = Math.max(0, asked - committed);
              delays.push(delay);
              byCity[city] = Math.max(byCity[city] ?? 0, round(delay, 1));
              if (block !== undefined && (verdict.ledgerHeight === null || verdict.ledgerHeight <= block)) stale++;
              return;
            }
          } else if (answer && answer.status !== 429) {
            complete = false;
            return;
          }
          await sleep(20);
        }
      }),
    );
    if (!complete) missed++;
    if ((n + 1) % 20 === 0) log(`freshness: ${n + 1}/${picked.length} revocations, worst so far ${fmt(Math.max(0, ...delays), 1)} ms`);
  }
  const sorted = [...delays].sort((a, b) => a - b);
  const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 1);
  const figures: FreshnessFigures = {
    revocations: picked.length - failed,
    maxMs: round(sorted.at(-1) ?? 0, 1),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    byCity,
    staleHeights: stale,
    missed,
    failed,
  };
  log(
    `freshness: worst ${fmt(figures.maxMs, 1)} ms, p50 ${fmt(figures.p50Ms, 1)} ms over ${figures.revocations} revocations × 5 cities ` +
      `(${missed} not reported within 10 s, ${failed} failed, ${stale} verdicts with a height not above the revocation's block); by city ${JSON.stringify(byCity)}`,
  );
  return figures;
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
  out.baseline = await runBaseline(ctx, pool, log);
  out.indexToBaselineRatio = out.baseline.reqPerSec > 0 ? round(out.index.reqPerSec / out.baseline.reqPerSec, 2) : null;
  out.indexToBaselineCpuRatio =
    out.index.cpuMicrosPerRequest && out.baseline.cpuMicrosPerRequest
      ? round(out.baseline.cpuMicrosPerRequest / out.index.cpuMicrosPerRequest, 2)
      : null;
  log(
    `index/baseline = ${fmt(out.indexToBaselineRatio, 2)} by rate, ${fmt(out.indexToBaselineCpuRatio, 2)} by CPU per verification ` +
      `(gateway ${out.index.cpuMicrosPerRequest} µs, baseline ${out.baseline.cpuMicrosPerRequest} µs)`,
  );
  onPartial(out);
  out.peer = await runOne(ctx, 'peer', pool, log);
  out.indexToPeerRatio = out.peer.reqPerSec > 0 ? round(out.index.reqPerSec / out.peer.reqPerSec, 1) : null;
  log(`index/peer = ${fmt(out.indexToPeerRatio, 1)}×`);
  onPartial(out);
  out.freshness = await measureFreshness(pool, log);
  onPartial(out);
  const cost = measureMemoryCost();
  const copies = 1 + WORKERS;
  out.memoryCost = { ...cost, copies, projectedMiBFor100kSingleAnchors: round((cost.singleAnchorBytes * 100_000 * copies) / 2 ** 20, 1) };
  log(
    `memory of the verification tables: ${cost.singleAnchorBytes} B per single anchor, ${cost.statusBytes} B per status record, ` +
      `${cost.batchBytes} B per batch record (a batch-anchored document costs nothing of its own), per copy; ${copies} copies ` +
      `→ ${out.memoryCost.projectedMiBFor100kSingleAnchors} MiB for 100,000 single anchors`,
  );
  return out;
}
