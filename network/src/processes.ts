/**
 * The one way this project runs and supervises local processes: Fabric
 * nodes, chaincode servers, city gateways, the benchmark's and the tests'
 * gateways. A started process gets its own process group, its output
 * appended to a log, and a pid file recording what was started; a process is
 * only ever treated as ours when /proc confirms the pid still runs that
 * program, started at the recorded time, so stopping never touches another
 * checkout's or another user's processes.
 * @packageDocumentation
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { runtimePaths } from './paths.js';
import { ProcessExitedError, sleep, until } from './polling.js';

/** What a pid file records about a process this checkout started. */
export interface ManagedProcessRecord {
  name: string;
  pid: number;
  /** The program that was started; checked against /proc so a reused pid is never mistaken for ours. */
  program: string;
  /** Arguments that must appear in the process's command line (e.g. the script and the city), checked too. */
  markers?: string[];
  /** The process's start time in clock ticks after boot (/proc/<pid>/stat field 22), checked too. */
  bootTicks?: number;
  /** Its log file. */
  log?: string;
  startedAt: string;
}

/** Description of a background process to start. */
export interface ProcessSpec {
  /** Unique name, e.g. `peer.qingdao` or `gateway.yantai`; names the pid file and the log. */
  name: string;
  program: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Arguments that identify this process among others running the same program (default: none). */
  markers?: string[];
  /** Log file (default `logs/<name>.log` in the runtime folder). */
  log?: string;
  /**
   * A network namespace to run in (the `--hosts` mode): started as `ip netns exec <netns> <program> …`,
   * which enters the namespace and then executes the program in the same process, so the pid is the program's.
   */
  netns?: string;
}

/** iproute2's `ip`, which enters network namespaces. */
export const IP_PROGRAM = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p)) ?? 'ip';

const pidFile = (name: string) => join(runtimePaths.pids, `${name}.pid`);
/** Log file of a managed process. */
export const logFile = (name: string): string => join(runtimePaths.logs, `${name}.log`);

async function readRecord(name: string): Promise<ManagedProcessRecord | undefined> {
  try {
    return JSON.parse(await readFile(pidFile(name), 'utf8')) as ManagedProcessRecord;
  } catch {
    return undefined;
  }
}

/** Start time of a process in clock ticks after boot, from /proc/<pid>/stat. */
async function bootTicksOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

async function isOurs(record: ManagedProcessRecord): Promise<boolean> {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  let parts: string[];
  try {
    parts = (await readFile(`/proc/${record.pid}/cmdline`, 'utf8')).split('\0');
  } catch {
    return false;
  }
  const base = record.program.split('/').pop();
  if (!parts.some((part) => part === record.program || part === base || part.endsWith(`/${base}`))) return false;
  if (!(record.markers ?? []).every((m) => parts.includes(m))) return false;
  if (record.bootTicks !== undefined && (await bootTicksOf(record.pid)) !== record.bootTicks) return false;
  return true;
}

/**
 * True when the process a record describes still runs: the pid is alive, its
 * command line shows the program and markers, and its start time is the recorded one.
 */
export function isRunning(record: ManagedProcessRecord): Promise<boolean> {
  return isOurs(record);
}

/**
 * A record of the calling process itself (for a foreground run such as
 * `npm start` that other commands must recognise later). Its markers are the
 * arguments of its own command line that end with one of `suffixes`
 * (e.g. `scripts/start.ts`, however it was spelt when started).
 */
export async function currentProcessRecord(name: string, suffixes: string[] = []): Promise<ManagedProcessRecord> {
  const bootTicks = await bootTicksOf(process.pid);
  const parts = (await readFile('/proc/self/cmdline', 'utf8').catch(() => '')).split('\0');
  const markers = parts.filter((part) => part && suffixes.some((suffix) => part.endsWith(suffix)));
  return {
    name,
    pid: process.pid,
    program: process.execPath,
    ...(markers.length ? { markers } : {}),
    ...(bootTicks !== undefined ? { bootTicks } : {}),
    startedAt: new Date().toISOString(),
  };
}

/** The record of a managed process when it is running, otherwise `undefined`. */
export async function runningProcess(name: string): Promise<ManagedProcessRecord | undefined> {
  const record = await readRecord(name);
  return record && (await isOurs(record)) ? record : undefined;
}

/** The managed processes of this checkout that run now, optionally only those whose name starts with `prefix`. */
export async function runningProcesses(prefix = ''): Promise<ManagedProcessRecord[]> {
  let files: string[];
  try {
    files = await readdir(runtimePaths.pids);
  } catch {
    return [];
  }
  const out: ManagedProcessRecord[] = [];
  for (const file of files.filter((f) => f.endsWith('.pid') && f.startsWith(prefix)).sort()) {
    const record = await runningProcess(file.slice(0, -'.pid'.length));
    if (record) out.push(record);
  }
  return out;
}

/**
 * Spawns a process with its output appended to `spec.log` (default
 * {@link logFile}), and returns it. `detached` puts it in a process group of
 * its own, so it outlives the caller and its whole group can be signalled.
 * Used by {@link startProcess}; used alone for a child whose life the caller
 * follows itself (the crash tests).
 */
export function spawnLogged(spec: Omit<ProcessSpec, 'markers'>, options: { detached?: boolean } = {}): ChildProcess {
  const log = spec.log ?? logFile(spec.name);
  mkdirSync(dirname(log), { recursive: true });
  const fd = openSync(log, 'a');
  const [program, args] = spec.netns ? [IP_PROGRAM, ['netns', 'exec', spec.netns, spec.program, ...spec.args]] : [spec.program, spec.args];
  try {
    return spawn(program, args, {
      env: spec.env,
      cwd: spec.cwd,
      detached: options.detached ?? false,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts a process in the background (own process group, output appended to
 * its log, pid file written) unless it already runs. `started` says whether
 * this call started it: what a run started is what it may stop.
 */
export async function startProcess(spec: ProcessSpec): Promise<{ record: ManagedProcessRecord; started: boolean }> {
  const existing = await runningProcess(spec.name);
  if (existing) return { record: existing, started: false };
  mkdirSync(runtimePaths.pids, { recursive: true });
  const child = spawnLogged(spec, { detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.program})`);
  child.unref();
  const bootTicks = await bootTicksOf(child.pid);
  const record: ManagedProcessRecord = {
    name: spec.name,
    pid: child.pid,
    program: spec.program,
    ...(spec.markers?.length ? { markers: spec.markers } : {}),
    ...(bootTicks !== undefined ? { bootTicks } : {}),
    log: spec.log ?? logFile(spec.name),
    startedAt: new Date().toISOString(),
  };
  await writeFile(pidFile(spec.name), JSON.stringify(record));
  return { record, started: true };
}

/**
 * Takes a running process that was started without a pid file of this
 * supervisor (e.g. by an older version of a script that wrote a plain pid)
 * under management as `name`, when /proc confirms that `pid` runs `program`
 * with `markers`. Returns its record, or `undefined` when it is not that process.
 */
export async function adoptProcess(
  name: string,
  pid: number,
  program: string,
  markers: string[] = [],
): Promise<ManagedProcessRecord | undefined> {
  const candidate: ManagedProcessRecord = {
    name,
    pid,
    program,
    ...(markers.length ? { markers } : {}),
    startedAt: new Date().toISOString(),
  };
  if (!Number.isInteger(pid) || pid <= 0 || !(await isOurs(candidate))) return undefined;
  const bootTicks = await bootTicksOf(pid);
  const record = { ...candidate, ...(bootTicks !== undefined ? { bootTicks } : {}) };
  mkdirSync(runtimePaths.pids, { recursive: true });
  await writeFile(pidFile(name), JSON.stringify(record));
  return record;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig); // the process group the process leads
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops a process this checkout started (pid file, program, markers and start
 * time checked) and its process group, with SIGTERM and, after `graceMs`,
 * SIGKILL. Returns the record of what was stopped, or `undefined` when it was not running.
 */
export async function stopProcess(name: string, graceMs = 10_000): Promise<ManagedProcessRecord | undefined> {
  const record = await readRecord(name);
  if (!record) return undefined;
  if (!(await isOurs(record))) {
    await rm(pidFile(name), { force: true });
    return undefined;
  }
  signal(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (await isOurs(record))) await sleep(100);
  if (await isOurs(record)) signal(record.pid, 'SIGKILL');
  while (await isOurs(record)) await sleep(50);
  await rm(pidFile(name), { force: true });
  return record;
}

/** True when something accepts TCP connections on `host`:`port` (default 127.0.0.1). */
export function portOpen(port: number, timeoutMs = 1000, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until `host`:`port` (default 127.0.0.1) accepts connections, or throws naming the process and its log. */
export async function waitForPort(name: string, port: number, options: { host?: string; timeoutMs?: number } = {}): Promise<void> {
  const { host = '127.0.0.1', timeoutMs = 60_000 } = options;
  await until(
    async () => {
      if (await portOpen(port, 1000, host)) return true;
      // A process in the middle of exec (e.g. `ip netns exec` becoming the program) briefly shows no command line: look twice.
      if (!(await runningProcess(name)) && (await sleep(300), !(await runningProcess(name))))
        throw new ProcessExitedError(name, logFile(name));
      throw new Error(`port ${port} is not open yet`);
    },
    () => true,
    {
      timeoutMs,
      intervalMs: 200,
      what: `${name} opening ${host}:${port} (log ${logFile(name)})`,
      stopOn: (e) => e instanceof ProcessExitedError,
    },
  );
}
