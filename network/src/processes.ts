import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { runtimePaths } from './paths.js';
import { sleep } from './polling.js';

/** What a pid file records about a process this project started. */
export interface ManagedProcessRecord {
  name: string;
  pid: number;
  /** The program that was started; checked against /proc so a reused pid is never mistaken for ours. */
  program: string;
  startedAt: string;
}

/** Description of a background process to start. */
export interface ProcessSpec {
  /** Unique name, e.g. `peer.qingdao`; names the pid file and the log. */
  name: string;
  program: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

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

async function isOurs(record: ManagedProcessRecord): Promise<boolean> {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = await readFile(`/proc/${record.pid}/cmdline`, 'utf8');
    return cmdline.split('\0').some((part) => part === record.program || part.endsWith(`/${record.program.split('/').pop()}`));
  } catch {
    return false;
  }
}

/** The record of a managed process when it is running, otherwise `undefined`. */
export async function runningProcess(name: string): Promise<ManagedProcessRecord | undefined> {
  const record = await readRecord(name);
  return record && (await isOurs(record)) ? record : undefined;
}

/** Starts a process in the background (own process group, output appended to its log) unless it already runs. */
export async function startProcess(spec: ProcessSpec): Promise<{ record: ManagedProcessRecord; started: boolean }> {
  const existing = await runningProcess(spec.name);
  if (existing) return { record: existing, started: false };
  await mkdir(runtimePaths.pids, { recursive: true });
  await mkdir(runtimePaths.logs, { recursive: true });
  const fd = openSync(logFile(spec.name), 'a');
  const child = spawn(spec.program, spec.args, { env: spec.env, cwd: spec.cwd, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.program})`);
  child.unref();
  const record: ManagedProcessRecord = { name: spec.name, pid: child.pid, program: spec.program, startedAt: new Date().toISOString() };
  await writeFile(pidFile(spec.name), JSON.stringify(record));
  return { record, started: true };
}

/**
 * Stops a process this project started (pid file and program checked), with
 * SIGTERM and, after `graceMs`, SIGKILL. Returns false when it was not running.
 */
export async function stopProcess(name: string, graceMs = 10_000): Promise<boolean> {
  const record = await readRecord(name);
  if (!record) return false;
  if (!(await isOurs(record))) {
    await rm(pidFile(name), { force: true });
    return false;
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && (await isOurs(record))) await sleep(100);
  if (await isOurs(record)) process.kill(record.pid, 'SIGKILL');
  while (await isOurs(record)) await sleep(50);
  await rm(pidFile(name), { force: true });
  return true;
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
export function portOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until `port` accepts connections, or throws naming the process and its log. */
export async function waitForPort(name: string, port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(port)) return;
    if (!(await runningProcess(name))) throw new Error(`${name} exited during start-up; see ${logFile(name)}`);
    await sleep(200);
  }
  throw new Error(`${name} did not open port ${port} within ${timeoutMs / 1000} s; see ${logFile(name)}`);
}
