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
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CITIES, cityById, type CityId } from '@jcc/domain';
import { loadConfig } from '../../gateway/src/config/config.js';
import { mintDevToken } from '../../gateway/src/token.js';
import type { Role } from '../../gateway/src/auth/roles.js';
import { BENCH_DIR, ROOT, messageOf, sleep } from './common.js';
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

/** Waits until `GET <url>/readyz` answers 200; returns the seconds waited. */
export async function waitReady(url: string, timeoutMs: number, log?: (line: string) => void): Promise<number> {
  const t0 = performance.now();
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let told = Date.now();
  while (Date.now() < deadline) {
    try {
      const reply = await send(`${url}/readyz`, { timeoutMs: 3000 });
      if (reply.status === 200) return (performance.now() - t0) / 1000;
      last = reply.text;
    } catch (err) {
      last = messageOf(err);
    }
    if (log && Date.now() - told > 15_000) {
      told = Date.now();
      log(`waiting for ${url} to be ready: ${last.slice(0, 200)}`);
    }
    await sleep(500);
  }
  throw new Error(`${url} not ready within ${timeoutMs / 1000} s: ${last.slice(0, 300)}`);
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

/** A development token of `role` signed by `city`'s gateway key (cached; 8 h). */
export async function tokenFor(city: CityId, role: Role): Promise<string> {
  const key = `${city}|${role}`;
  let token = tokens.get(key);
  if (!token) {
    token = await mintDevToken({ city, role, subject: `bench-${role}@${city}`, ttlSeconds: 12 * 3600 });
    tokens.set(key, token);
  }
  return token;
}

/** The pid of the process listening on 127.0.0.1:`port` (found through /proc), if any. */
export async function pidOnPort(port: number): Promise<number | undefined> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = await readFile(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== '0A') continue;
      if (parseInt(local.split(':').pop() ?? '', 16) === port && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = await readdir(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = await readlink(`/proc/${entry}/fd/${fd}`);
        const m = /^socket:\[(\d+)\]$/.exec(target);
        if (m && inodes.has(m[1] as string)) return Number(entry);
      } catch {
        // the fd closed meanwhile
      }
    }
  }
  return undefined;
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
  const args = [...nodeArgs, '--import', 'tsx', join(ROOT, 'gateway', 'src', 'main.ts'), spec.city, '--port', String(spec.port)];
  if (spec.verifySource) args.push('--verify-source', spec.verifySource);
  const out = openSync(join(logs, `${spec.name}.log`), 'a');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      JCC_GATEWAY_STORE: store,
      JCC_REGISTER_GATEWAY_URL: 'false',
      JCC_VERIFY_RATE_LIMIT: '0',
      ...(spec.env ?? {}),
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start gateway ${spec.name}`);
  const pid = child.pid;
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
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
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exit;
      clearTimeout(killer);
    },
  };
  try {
    const waited = await Promise.race([
      waitReady(url, 900_000, log),
      exit.then(() => {
        throw new Error(`gateway ${spec.name} exited during start-up; see .bench/logs/${spec.name}.log`);
      }),
    ]);
    log(`gateway ${spec.name} ready after ${waited.toFixed(1)} s`);
  } catch (err) {
    await gateway.stop();
    throw err;
  }
  return gateway;
}
