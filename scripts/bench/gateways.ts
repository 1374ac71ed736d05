/**
 * The gateways the benchmark talks to: the five running city gateways
 * (started with `npm run gateways` when they are not running, and then left
 * running), and gateway processes of the benchmark's own, on ports of their
 * own, for runs that need another configuration (verification from the peer,
 * no rate limit, CPU profiles). Those have their own store folder under
 * `.bench/stores/<name>`, holding a copy of the city's keys (already
 * registered on the ledger, so nothing new is registered), and never record
 * their URL on the ledger.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CITIES, cityById, type CityId } from '@jcc/domain';
import { loadConfig } from '../../gateway/src/config/config.js';
import { mintDevToken } from '../../gateway/src/token.js';
import { storeLogId } from '../lib/store-log-id.js';
import { defaultGatewayUrls } from '../demo/context.js';
import { demoIdentityToken } from '../demo/identities.js';
import type { Role } from '../../gateway/src/auth/roles.js';
import { findPortConflicts } from '../../network/src/ports.js';
import { waitForGatewayReady } from '../../network/src/polling.js';
import { runningProcess, startProcess, stopProcess } from '../../network/src/processes.js';
import { gatewayCommand } from '../../network/src/nodeEnv.js';
import { BENCH_DIR, ROOT, messageOf } from './common.js';
import { send } from './http.js';
import { scrape, total, type Sample } from './prom.js';

/** Base URL of a city's running gateway. */
export const gatewayUrl = (city: CityId): string => `http://127.0.0.1:${cityById(city).gatewayPort}`;

/** True when `GET <url>/healthz` answers 200. */
export async function healthy(url: string): Promise<boolean> {
  try {
    return (await send(`${url}/healthz`, { timeoutMs: 2000 })).status === 200;
  } catch {
    return false;
  }
}

/** Waits until `GET <url>/readyz` answers 200 (the one readiness poller); returns the seconds waited. */
export async function waitReady(
  url: string,
  timeoutMs: number,
  log?: (line: string) => void,
  alive?: () => Promise<boolean>,
): Promise<number> {
  let told = Date.now();
  const ms = await waitForGatewayReady(url, {
    timeoutMs,
    ...(alive ? { alive } : {}),
    intervalMs: 500,
    onRetry: (last) => {
      if (!log || Date.now() - told < 15_000) return;
      told = Date.now();
      log(`waiting for ${url} to be ready: ${messageOf(last).slice(0, 200)}`);
    },
  });
  return ms / 1000;
}

let build: Promise<void> | undefined;

/** The compiled gateway, brought up to date once per run (`tsc -b gateway`): the benchmark's gateways run it. */
function builtGateway(): Promise<void> {
  build ??= new Promise<void>((resolve, reject) => {
    const child = spawn('npx', ['tsc', '-b', 'gateway'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc -b gateway exited with ${code}`))));
  });
  return build;
}

/**
 * Makes sure the five city gateways run: when one does not answer
 * `/healthz`, runs `npm run gateways` (which starts the missing ones in the
 * background and leaves them running), then waits until all are ready.
 */
export async function ensureGateways(log: (line: string) => void): Promise<void> {
  const down: CityId[] = [];
  for (const city of CITIES) if (!(await healthy(gatewayUrl(city.id)))) down.push(city.id);
  if (down.length > 0) {
    log(`gateways not running: ${down.join(', ')}; starting them with npm run gateways (they stay running afterwards)`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn('npm', ['run', '--silent', 'gateways'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run gateways exited with ${code}`))));
    });
  }
  for (const city of CITIES) await waitReady(gatewayUrl(city.id), 300_000, log);
}

const tokens = new Map<string, string>();

/** A development token of `role` for `city`'s gateway: its gateway key, or the demo identity for regulator/alliance (cached). */
export async function tokenFor(city: CityId, role: Role): Promise<string> {
  const key = `${city}|${role}`;
  let token = tokens.get(key);
  if (!token) {
    token =
      role === 'regulator' || role === 'alliance'
        ? await demoIdentityToken(role, defaultGatewayUrls(), { audience: [city], ttlSeconds: 12 * 3600 })
        : await mintDevToken({ city, role, subject: `bench-${role}@${city}`, ttlSeconds: 12 * 3600 });
    tokens.set(key, token);
  }
  return token;
}

/** The pid of the process listening on 127.0.0.1:`port` (found through /proc by `network/src/ports.ts`), if any. */
export async function pidOnPort(port: number): Promise<number | undefined> {
  const [held] = await findPortConflicts([{ port, use: `port ${port}`, owner: '' }]);
  return held?.holder?.pid;
}

/** Samples of a gateway's `/metrics`. */
export const gatewayMetrics = (url: string): Promise<Sample[]> => scrape(`${url}/metrics`);

/** Documents a gateway has anchored so far in `mode` (its own counter). */
export async function anchoredCount(url: string, mode: 'single' | 'batch'): Promise<number> {
  return total(await gatewayMetrics(url), 'jcc_documents_anchored_total', { mode });
}

/** Settings of a benchmark gateway process. */
export interface BenchGatewaySpec {
  /** Names the store folder (`.bench/stores/<name>`), the log and the profile folder. */
  name: string;
  city: CityId;
  port: number;
  verifySource?: 'index' | 'peer';
  /** Write a V8 CPU profile (sampling every `cpuProfileIntervalUs`) to `.bench/profiles/<name>/` on exit. */
  cpuProfile?: boolean;
  cpuProfileIntervalUs?: number;
  /** Start from an empty store (the index is rebuilt from the ledger's first block). */
  fresh?: boolean;
  env?: Record<string, string>;
}

/** A running benchmark gateway process. */
export interface BenchGateway {
  readonly name: string;
  readonly city: CityId;
  readonly url: string;
  readonly pid: number;
  readonly profileDir: string | undefined;
  /** Stops it (SIGTERM, then SIGKILL after 30 s) and waits for its exit, so a CPU profile is written. */
  stop(): Promise<void>;
}

/** Folder of a benchmark gateway's store. */
export const benchStoreDir = (name: string): string => join(BENCH_DIR, 'stores', name);

/** Starts a gateway process of the benchmark's own and waits until it is ready. */
export async function startBenchGateway(spec: BenchGatewaySpec, log: (line: string) => void): Promise<BenchGateway> {
  await builtGateway();
  const store = benchStoreDir(spec.name);
  if (spec.fresh) await rm(store, { recursive: true, force: true });
  await mkdir(store, { recursive: true });
  // The city's keys, so the process signs with keys the ledger already holds.
  await rm(join(store, 'keys'), { recursive: true, force: true });
  const cityStore = (await loadConfig({ city: spec.city })).storeDir;
  await cp(join(cityStore, 'keys'), join(store, 'keys'), { recursive: true });
  const logs = join(BENCH_DIR, 'logs');
  await mkdir(logs, { recursive: true });
  const profileDir = spec.cpuProfile ? join(BENCH_DIR, 'profiles', spec.name) : undefined;
  if (profileDir) {
    // Only this run's profiles.
    await rm(profileDir, { recursive: true, force: true });
    await mkdir(profileDir, { recursive: true });
  }
  const nodeArgs = profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-interval=${spec.cpuProfileIntervalUs ?? 1000}`]
    : [];
  const command = gatewayCommand(
    spec.city,
    ['--port', String(spec.port), ...(spec.verifySource ? ['--verify-source', spec.verifySource] : [])],
    nodeArgs,
  );
  const processName = `bench.${spec.name}`;
  const { record } = await startProcess({
    name: processName,
    ...command,
    cwd: ROOT,
    env: {
      ...process.env,
      JCC_GATEWAY_STORE: store,
      // A log of its own: the city's gateway writes the main log on the same ledger (docs/access-log.md).
      JCC_ACCESS_LOG_ID: storeLogId(spec.city, store, 'b'),
      JCC_REGISTER_GATEWAY_URL: 'false',
      JCC_VERIFY_RATE_LIMIT: '0',
      ...(spec.env ?? {}),
    },
    log: join(logs, `${spec.name}.log`),
  });
  const pid = record.pid;
  const url = `http://127.0.0.1:${spec.port}`;
  log(
    `started gateway ${spec.name} (${spec.city}, pid ${pid}, ${url}${spec.verifySource ? `, verify source ${spec.verifySource}` : ''}${profileDir ? ', CPU profile' : ''}); log .bench/logs/${spec.name}.log`,
  );
  const gateway: BenchGateway = {
    name: spec.name,
    city: spec.city,
    url,
    pid,
    profileDir,
    async stop() {
      await stopProcess(processName, 30_000);
    },
  };
  try {
    const seconds = await waitReady(url, 900_000, log, async () => (await runningProcess(processName)) !== undefined);
    log(`gateway ${spec.name} ready after ${seconds.toFixed(1)} s`);
  } catch (err) {
    await gateway.stop();
    throw err;
  }
  return gateway;
}
