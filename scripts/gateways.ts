/**
 * `npm run gateways` starts the five city gateways in the background (pid
 * files and logs in `.runtime/gateways/`) and waits until they are ready;
 * `npm run gateways:stop` stops them. `tsx scripts/gateways.ts status` lists them.
 * Extra arguments after `start` name the cities to start (default: all five).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CITIES, isCityId, type City } from '@jcc/domain';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.runtime', 'gateways');
const pidFile = (city: string): string => join(dir, `${city}.pid`);
const logFile = (city: string): string => join(dir, `${city}.log`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function runningPid(city: string): number | undefined {
  if (!existsSync(pidFile(city))) return undefined;
  const pid = Number(readFileSync(pidFile(city), 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

async function probe(city: City, path: string): Promise<{ ok: boolean; body?: Record<string, unknown> }> {
  try {
    const res = await fetch(`http://127.0.0.1:${city.gatewayPort}${path}`, { signal: AbortSignal.timeout(2000) });
    return { ok: res.ok, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return { ok: false };
  }
}

async function start(cities: City[]): Promise<number> {
  mkdirSync(dir, { recursive: true });
  for (const city of cities) {
    const pid = runningPid(city.id);
    if (pid) {
      process.stdout.write(`${city.id.padEnd(8)} already running (pid ${pid})\n`);
      continue;
    }
    const out = openSync(logFile(city.id), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'gateway', 'src', 'main.ts'), city.id], {
      cwd: root,
      detached: true,
      stdio: ['ignore', out, out],
      env: process.env,
    });
    closeSync(out);
    child.unref();
    writeFileSync(pidFile(city.id), `${child.pid}\n`);
    process.stdout.write(
      `${city.id.padEnd(8)} started (pid ${child.pid}) on http://127.0.0.1:${city.gatewayPort}, log ${logFile(city.id)}\n`,
    );
  }
  const deadline = Date.now() + Number(process.env.JCC_GATEWAYS_READY_TIMEOUT_MS ?? 180_000);
  const pending = new Set(cities.map((c) => c.id));
  while (pending.size > 0 && Date.now() < deadline) {
    for (const city of cities) {
      if (!pending.has(city.id)) continue;
      if (!runningPid(city.id)) {
        process.stderr.write(`${city.id.padEnd(8)} exited; see ${logFile(city.id)}\n`);
        return 1;
      }
      if ((await probe(city, '/readyz')).ok) {
        pending.delete(city.id);
        process.stdout.write(`${city.id.padEnd(8)} ready\n`);
      }
    }
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  if (pending.size > 0) {
    process.stderr.write(`not ready in time: ${[...pending].join(', ')} (see the logs in ${dir})\n`);
    return 1;
  }
  return 0;
}

async function stop(cities: City[]): Promise<number> {
  for (const city of cities) {
    const pid = runningPid(city.id);
    if (!pid) {
      rmSync(pidFile(city.id), { force: true });
      continue;
    }
    process.kill(pid, 'SIGTERM');
    const until = Date.now() + 20_000;
    while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(pidFile(city.id), { force: true });
    process.stdout.write(`${city.id.padEnd(8)} stopped (pid ${pid})\n`);
  }
  return 0;
}

async function status(cities: City[]): Promise<number> {
  let down = 0;
  for (const city of cities) {
    const pid = runningPid(city.id);
    const ready = pid ? await probe(city, '/readyz') : { ok: false };
    if (!pid) down++;
    process.stdout.write(
      `${city.id.padEnd(8)} ${String(city.gatewayPort).padEnd(6)} ${pid ? `pid ${pid}` : 'not running'}${pid ? (ready.ok ? ', ready' : ', not ready') : ''}\n`,
    );
  }
  return down > 0 ? 1 : 0;
}

const [command = 'start', ...names] = process.argv.slice(2);
const bad = names.find((n) => !isCityId(n));
if (bad) {
  process.stderr.write(`unknown city ${bad}\n`);
  process.exit(2);
}
const selected = names.length ? CITIES.filter((c) => names.includes(c.id)) : [...CITIES];
const actions: Record<string, (c: City[]) => Promise<number>> = { start, stop, status };
const action = actions[command];
if (!action) {
  process.stderr.write('usage: gateways.ts [start|stop|status] [city ...]\n');
  process.exit(2);
}
process.exit(await action(selected));
