/**
 * `npm run bench [-- --quick | --full] [--only anchor,verify,evaluations,merkle,startup] [--profile]`
 *
 * Measures the running five-city network through the gateways over HTTP
 * (workloads of issue 6), prints progress and a table, and writes the figures
 * with the machine they came from to `.bench/latest.json` (rewritten after
 * each workload; a copy per run is kept as `.bench/run-<time>.json`).
 * Nothing here asserts a time: targets are reported, never enforced.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CITY_IDS, cityById, type CityId } from '@jcc/domain';
import { benchAnchoring } from './anchor.js';
import { BENCH_DIR, fmt, logger, messageOf, say } from './common.js';
import type { BenchContext } from './context.js';
import { benchEvaluations } from './evaluations.js';
import { ensureGateways, gatewayUrl, pidOnPort, startBenchGateway, type BenchGateway, type BenchGatewaySpec } from './gateways.js';
import { closeConnections } from './http.js';
import { machineInfo } from './machine.js';
import { MemoryWatch } from './memory.js';
import { benchMerkle } from './merkle.js';
import { parseOptions, type BenchOptions, type Workload } from './options.js';
import { formatSummary, profilesIn, summariseProfile } from './profile.js';
import type { BenchResults } from './results.js';
import { benchStartup } from './startup.js';
import { renderTable } from './table.js';
import { benchVerification } from './verify.js';

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench: ${messageOf(err)}\n`);
  process.exit(2);
}

const started = performance.now();
const stamp = new Date().toISOString();
const results: BenchResults = {
  machine: machineInfo(),
  run: { mode: options.mode, workloads: options.only, profile: options.profile, startedAt: stamp, complete: false },
};
const runFile = join(BENCH_DIR, `run-${stamp.replace(/[:.]/g, '-')}.json`);

async function save(): Promise<void> {
  await mkdir(BENCH_DIR, { recursive: true });
  const text = JSON.stringify(results, null, 2) + '\n';
  await writeFile(join(BENCH_DIR, 'latest.json'), text);
  await writeFile(runFile, text);
}

const m = results.machine;
say(`machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, Fabric ${m.fabric}`);
say(`run: ${options.mode}${options.profile ? ' with CPU profiles' : ''}; workloads ${options.only.join(', ')}`);
await save();

const memory = new MemoryWatch();
const overrides = new Map<CityId, { url: string; name: string }>();
const ctx: BenchContext = {
  options,
  memory,
  gateways: new Map(),
  urlOf: (city) => overrides.get(city)?.url ?? gatewayUrl(city),
  nameOf: (city) => overrides.get(city)?.name ?? `gateway.${city}`,
};
const wants = (w: Workload): boolean => options.only.includes(w);
const gatewayWork = wants('anchor') || wants('verify') || wants('evaluations');

if (gatewayWork || wants('startup')) {
  await ensureGateways(logger('gateways'));
  for (const city of CITY_IDS) {
    const pid = await pidOnPort(cityById(city).gatewayPort);
    if (pid) ctx.gateways.set(`gateway.${city}`, pid);
  }
  say(`gateways ready: ${[...ctx.gateways].map(([n, p]) => `${n} (pid ${p})`).join(', ')}`);
}

/**
 * With --profile, runs `work` against gateway processes of the benchmark's
 * own (V8 CPU profiles) standing in for the given cities; otherwise just runs it.
 */
async function profiled<T>(specs: (BenchGatewaySpec & { standsFor: CityId })[], work: () => Promise<T>): Promise<T> {
  if (!options.profile) return work();
  const started: BenchGateway[] = [];
  try {
    for (const spec of specs) {
      const g = await startBenchGateway({ ...spec, cpuProfile: true }, logger('profile'));
      started.push(g);
      overrides.set(spec.standsFor, { url: g.url, name: g.name });
      ctx.gateways.set(g.name, g.pid);
      memory.add(g.name, g.pid);
    }
    return await work();
  } finally {
    memory.sample();
    for (const g of started) {
      overrides.delete(g.city);
      await g.stop();
    }
  }
}

async function workload<K extends 'anchor' | 'verify' | 'evaluations'>(
  key: K,
  run: () => Promise<NonNullable<BenchResults[K]>>,
): Promise<void> {
  memory.phase(key);
  try {
    results[key] = await run();
  } catch (err) {
    say(`${key} failed: ${messageOf(err)}`);
    results[key] = { ...(results[key] ?? {}), error: messageOf(err) } as BenchResults[K];
  }
  await save();
}

if (gatewayWork) {
  for (const [name, pid] of ctx.gateways) memory.add(name, pid);
  memory.start(1000);
}

if (wants('anchor')) {
  say('workload 1: anchoring');
  await workload('anchor', () =>
    profiled([{ name: 'anchor-qingdao', city: 'qingdao', standsFor: 'qingdao', port: 8121, fresh: true }], () =>
      benchAnchoring(ctx, (partial) => {
        results.anchor = partial;
        void save();
      }),
    ),
  );
}

if (wants('verify')) {
  say('workload 2: verification');
  await workload('verify', () =>
    benchVerification(ctx, (partial) => {
      results.verify = partial;
      void save();
    }),
  );
}

if (wants('evaluations')) {
  say(`workload 3: evaluations (${fmt(options.sizes.evaluations)})`);
  await workload('evaluations', () =>
    profiled(
      [
        { name: 'evaluations-qingdao', city: 'qingdao', standsFor: 'qingdao', port: 8121, fresh: true },
        { name: 'lookup-yantai', city: 'yantai', standsFor: 'yantai', port: 8122 },
      ],
      () => benchEvaluations(ctx),
    ),
  );
}

if (gatewayWork) {
  const watched = memory.stop();
  const busiest = [...watched].sort((a, b) => b.cpuSeconds - a.cpuSeconds)[0];
  results.memory = { gateways: watched, ...(busiest ? { busiest, peakRssMiB: busiest.peakRssMiB } : {}) };
  say('workload 6: memory of the gateway processes during workloads 1-3');
  for (const p of watched)
    say(
      `  ${p.name.padEnd(22)} pid ${String(p.pid).padEnd(8)} peak RSS ${fmt(p.peakRssMiB)} MiB, CPU ${fmt(p.cpuSeconds)} s, during ${p.during.join(', ')}${p.peakReset ? '' : ' (sampled peak: VmHWM could not be reset)'}`,
    );
  await save();
}

if (wants('merkle')) {
  say('workload 4: cost growth (Merkle batches; ledger bytes come from workload 1)');
  const sizes = benchMerkle(options.sizes.merkleSizes, logger('merkle'));
  const by = (f: (x: (typeof sizes)[number]) => number): Record<string, number> =>
    Object.fromEntries(sizes.map((s) => [String(s.leaves), f(s)]));
  results.merkle = { sizes, proofLength: by((s) => s.proofLength), buildMs: by((s) => s.buildMs), verifyMicros: by((s) => s.verifyMicros) };
  await save();
}
if (results.anchor?.single || results.anchor?.batch) {
  results.cost = {
    ledgerBytesPerDocument: {
      ...(results.anchor.single ? { single: results.anchor.single.ledger } : {}),
      ...(results.anchor.batch ? { batch: results.anchor.batch.ledger } : {}),
    },
  };
}

if (options.profile) {
  const summaries = [];
  for (const name of ['anchor-qingdao', 'verify-weihai-index', 'verify-weihai-peer', 'evaluations-qingdao', 'lookup-yantai']) {
    for (const file of await profilesIn(join(BENCH_DIR, 'profiles', name))) {
      const summary = await summariseProfile(file);
      summaries.push(summary);
      const text = formatSummary(summary);
      await writeFile(`${file}.summary.txt`, text + '\n');
      say(`CPU profile of ${name}:\n${text}`);
    }
  }
  results.profiles = summaries;
  await save();
}

if (wants('startup')) {
  say('workload 5: start-up (restarts the network; runs last)');
  memory.phase('startup');
  try {
    results.startup = await benchStartup(ctx);
  } catch (err) {
    say(`startup failed: ${messageOf(err)}`);
    results.startup = { warmRuns: [], error: messageOf(err) };
  }
  await save();
}

results.run.finishedAt = new Date().toISOString();
results.run.seconds = Math.round((performance.now() - started) / 1000);
results.run.complete = true;
await save();
const table = renderTable(results);
await writeFile(
  join(BENCH_DIR, 'latest.md'),
  `${table}\n\nMachine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, Fabric ${m.fabric}; ${options.mode} run of ${results.run.startedAt}, ${results.run.seconds} s.\n`,
);
process.stdout.write(`\n${table}\n\n`);
say(`done in ${fmt(results.run.seconds)} s; figures in .bench/latest.json (this run also in ${runFile.slice(BENCH_DIR.length - 6)})`);
closeConnections();
process.exit(0);
