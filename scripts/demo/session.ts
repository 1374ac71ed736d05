/**
 * The `npm start` session: what one run of `scripts/start.ts` started (so that
 * Ctrl-C and `npm stop` stop that and nothing else), and the calls into
 * `scripts/gateways.ts` that start and stop the city gateways.
 *
 * The record lives in `.runtime/start.json` while `npm start` runs. This file
 * imports nothing from the workspace packages, so it can be loaded before
 * `npm run build` has produced them.
 *
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the session record is kept. */
export const SESSION_FILE = join(REPO_ROOT, '.runtime', 'start.json');

/** Folder of the gateways' pid files and logs (written by `scripts/gateways.ts`). */
export const GATEWAYS_DIR = join(REPO_ROOT, '.runtime', 'gateways');

/** What one `npm start` run started, and how far it got. */
export interface StartSession {
  /** Process id of the `scripts/start.ts` process. */
  pid: number;
  startedAt: string;
  /** True when this run brought the Fabric network up (it was not fully running before). */
  startedNetwork: boolean;
  /** Gateways this run started: city id → process id. Gateways that were already running are absent. */
  startedGateways: Record<string, number>;
  /** The current phase: `starting` until the ready block is printed, then `ready`, then `stopping`. */
  phase: 'starting' | 'ready' | 'stopping';
}

/** Reads the session record, or `undefined` when there is none (or it is unreadable). */
export async function readSession(): Promise<StartSession | undefined> {
  try {
    return JSON.parse(await readFile(SESSION_FILE, 'utf8')) as StartSession;
  } catch {
    return undefined;
  }
}

/** Writes the session record. */
export async function writeSession(session: StartSession): Promise<void> {
  await mkdir(dirname(SESSION_FILE), { recursive: true });
  await writeFile(SESSION_FILE, JSON.stringify(session, null, 2) + '\n');
}

/** Deletes the session record. */
export async function clearSession(): Promise<void> {
  await rm(SESSION_FILE, { force: true });
}

/** True when a process with this id exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` is a live `scripts/start.ts` process (not some other process that reused the id). */
export function isStartProcess(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .some((part) => part.endsWith('scripts/start.ts'));
  } catch {
    return false;
  }
}

/**
 * The process id in a gateway's pid file when that process is alive, else
 * `undefined`. Reads the pid files `scripts/gateways.ts` writes.
 */
export function gatewayPid(city: string): number | undefined {
  const file = join(GATEWAYS_DIR, `${city}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
}

/** A child process that can be interrupted: its exit code, and a way to stop it. */
export interface ChildRun {
  done: Promise<number>;
  kill(): void;
}

/**
 * Runs `node --import tsx scripts/gateways.ts <command> [cities…]` with its
 * output shown on this terminal, so the start/stop logic stays in that one script.
 */
export function runGatewaysScript(command: 'start' | 'stop' | 'status', cities: readonly string[] = []): ChildRun {
  return runNode(['--import', 'tsx', join(REPO_ROOT, 'scripts', 'gateways.ts'), command, ...cities]);
}

/** Runs a command in the repository root with inherited output. */
export function runCommand(program: string, args: string[]): ChildRun {
  const child = spawn(program, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  const done = new Promise<number>((resolveExit) => {
    child.once('error', () => resolveExit(127));
    child.once('exit', (code, signal) => resolveExit(code ?? (signal ? 128 : 1)));
  });
  return {
    done,
    kill: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

function runNode(args: string[]): ChildRun {
  return runCommand(process.execPath, args);
}
