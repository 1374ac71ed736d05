/**
 * `npm run gateways` starts the five city gateways in the background and
 * waits until they are ready; `npm run gateways:stop` stops them;
 * `tsx scripts/gateways.ts status` lists them. Extra arguments after the
 * command name the cities (default: all five).
 *
 * Each gateway is a managed process of this checkout (`network/src/processes.ts`):
 * pid file `pids/gateway.<city>.pid` and log `logs/gateway.<city>.log` in the
 * runtime folder (`JCC_RUNTIME_DIR`, else `.runtime`). Before starting, the
 * gateway ports must be free or held by this checkout's own gateways
 * (`network/src/ports.ts`); stop only stops gateways this checkout started.
 *
 * On a `--hosts` network each gateway runs in its city's namespace, listening on the
 * city's address, its store in the runtime folder; the script runs itself in the hub
 * namespace, from which it reaches them.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CITIES, isCityId, type City } from '@jcc/domain';
import { findPortConflicts, PortsInUseError, type NeededPort } from '../network/src/ports.js';
import { RUNTIME_DIR } from '../network/src/paths.js';
import { activeHostsLayout } from '../network/src/hostsLayout.js';
import { inNamespace, rerunInNamespace } from '../network/src/netns.js';
import { gatewayUrl } from '../network/src/topology.js';
import { adoptProcess, logFile, runningProcess, startProcess, stopProcess, type ProcessSpec } from '../network/src/processes.js';
import { GATEWAY_MAIN, gatewayCommand } from '../network/src/nodeEnv.js';
import { PollTimeoutError, ProcessExitedError, waitForGatewayReady } from '../network/src/polling.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Name of a city gateway's managed process. */
const gatewayProcessName = (city: string): string => `gateway.${city}`;

const hosts = activeHostsLayout();

/** What a gateway on a `--hosts` network is told: its address, store, and the other gateways' addresses. */
function hostsEnv(city: City): NodeJS.ProcessEnv {
  if (!hosts) return {};
  return {
    JCC_GATEWAY_HOST: hosts.cities[city.id].address,
    JCC_GATEWAY_PUBLIC_URL: url(city),
    JCC_GATEWAY_STORE: join(RUNTIME_DIR, 'gateway-store', city.id),
    JCC_PEER_GATEWAYS: JSON.stringify(Object.fromEntries(CITIES.map((c) => [c.id, url(c)]))),
  };
}

/** How a city gateway is started: `node gateway/dist/main.js <city>` in the repository root ({@link gatewayCommand}). */
function gatewaySpec(city: City, env: NodeJS.ProcessEnv = process.env): ProcessSpec {
  return {
    name: gatewayProcessName(city.id),
    ...(hosts ? { netns: hosts.cities[city.id].netns } : {}),
    ...gatewayCommand(city.id),
    env: { ...hostsEnv(city), ...env },
    cwd: root,
  };
}

/** The HTTP ports of the gateways, owned by their managed processes. */
function gatewayPorts(cities: readonly City[]): NeededPort[] {
  return cities.map((c) => ({ port: c.gatewayPort, use: `gateway ${c.id} (HTTP API)`, owner: gatewayProcessName(c.id) }));
}

/**
 * Brings gateways started by the earlier version of this script (a plain pid
 * in `gateways/<city>.pid` of the runtime folder) under the process
 * supervisor, so that stop and the port check know them as this checkout's.
 */
async function adoptLegacyGateways(cities: readonly City[]): Promise<void> {
  for (const city of cities) {
    const legacy = join(RUNTIME_DIR, 'gateways', `${city.id}.pid`);
    if (!existsSync(legacy)) continue;
    const pid = Number(readFileSync(legacy, 'utf8').trim());
    const adopted = await adoptProcess(gatewayProcessName(city.id), pid, process.execPath, [GATEWAY_MAIN, city.id]);
    if (adopted) say(`${city.id.padEnd(8)} running since before (pid ${pid}): now supervised`);
    rmSync(legacy, { force: true });
  }
}

const url = (city: City): string => gatewayUrl(city.id, hosts);
const say = (line: string): void => void process.stdout.write(line + '\n');
const complain = (line: string): void => void process.stderr.write(line + '\n');

async function ready(city: City): Promise<boolean> {
  try {
    return (await fetch(`${url(city)}/readyz`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

async function start(cities: City[]): Promise<number> {
  const conflicts = hosts ? [] : await findPortConflicts(gatewayPorts(cities));
  if (conflicts.length) {
    complain(new PortsInUseError(conflicts).message);
    return 1;
  }
  for (const city of cities) {
    const { record, started } = await startProcess(gatewaySpec(city));
    say(
      started
        ? `${city.id.padEnd(8)} started (pid ${record.pid}) on ${url(city)}, log ${logFile(record.name)}`
        : `${city.id.padEnd(8)} already running (pid ${record.pid})`,
    );
  }
  const timeoutMs = Number(process.env.JCC_GATEWAYS_READY_TIMEOUT_MS ?? 180_000);
  const results = await Promise.allSettled(
    cities.map(async (city) => {
      const name = gatewayProcessName(city.id);
      await waitForGatewayReady(url(city), {
        timeoutMs,
        intervalMs: 1000,
        alive: async () => (await runningProcess(name)) !== undefined,
        log: logFile(name),
      });
      say(`${city.id.padEnd(8)} ready`);
    }),
  );
  let failed = 0;
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') return;
    failed++;
    const city = cities[i] as City;
    const err = r.reason as Error;
    if (err instanceof ProcessExitedError) complain(`${city.id.padEnd(8)} exited; see ${logFile(gatewayProcessName(city.id))}`);
    else if (err instanceof PollTimeoutError)
      complain(`${city.id.padEnd(8)} not ready in time; see ${logFile(gatewayProcessName(city.id))} (${err.message})`);
    else complain(`${city.id.padEnd(8)} ${err.message}`);
  });
  return failed > 0 ? 1 : 0;
}

async function stop(cities: City[]): Promise<number> {
  for (const city of cities) {
    const stopped = await stopProcess(gatewayProcessName(city.id), 20_000);
    if (stopped) say(`${city.id.padEnd(8)} stopped (pid ${stopped.pid})`);
  }
  return 0;
}

async function status(cities: City[]): Promise<number> {
  let down = 0;
  for (const city of cities) {
    const record = await runningProcess(gatewayProcessName(city.id));
    if (!record) down++;
    const state = record ? `pid ${record.pid}, ${(await ready(city)) ? 'ready' : 'not ready'}` : 'not running';
    say(`${city.id.padEnd(8)} ${String(city.gatewayPort).padEnd(6)} ${state}`);
  }
  return down > 0 ? 1 : 0;
}

if (hosts && !inNamespace(hosts.hub.netns)) process.exit(await rerunInNamespace(hosts.hub.netns));
const [command = 'start', ...names] = process.argv.slice(2);
const bad = names.find((n) => !isCityId(n));
if (bad) {
  complain(`unknown city ${bad}`);
  process.exit(2);
}
const selected = names.length ? CITIES.filter((c) => names.includes(c.id)) : [...CITIES];
const actions: Record<string, (c: City[]) => Promise<number>> = { start, stop, status };
const action = actions[command];
await adoptLegacyGateways(selected);
if (!action) {
  complain('usage: gateways.ts [start|stop|status] [city ...]');
  process.exit(2);
}
process.exit(await action(selected));
