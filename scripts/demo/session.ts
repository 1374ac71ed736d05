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
import { mkdir, rm, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIME_DIR } from '../../network/src/paths.js';
import { currentProcessRecord, isRunning, runningProcess, type ManagedProcessRecord } from '../../network/src/processes.js';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the session record is kept (in the runtime folder: `JCC_RUNTIME_DIR`, else `.runtime`). */
export const SESSION_FILE = join(RUNTIME_DIR, 'start.json');

/** What one `npm start` run started, and how far it got. */
export interface StartSession {
  /** Process id of the `scripts/start.ts` process. */
  pid: number;
  /** That process, as the process supervisor identifies it (program, script, start time). */
  process: ManagedProcessRecord;
  startedAt: string;
  /** True when this run brought the Fabric network up (it was not fully running before). */
  startedNetwork: boolean;
  /** Gateways this run started: city id → process id. Gateways that were already running are absent. */
  startedGateways: Record<string, number>;
  /** The current phase: `starting` until the ready block is printed, then `ready`, then `stopping`. */
  phase: 'starting' | 'ready' | 'stopping';
}

/** The record of this process, an `npm start` run, for {@link StartSession.process}. */
export function startProcessRecord(): Promise<ManagedProcessRecord> {
  return currentProcessRecord('npm-start', ['scripts/start.ts']);
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

/** True when the session's `npm start` process still runs (not some other process that reused the id). */
export async function isStartRunning(session: StartSession): Promise<boolean> {
  return session.process ? isRunning(session.process) : false;
}

/**
 * The process id of a city's gateway when this checkout's managed gateway
 * process (`gateway.<city>`, started by `scripts/gateways.ts`) runs, else `undefined`.
 */
export async function gatewayPid(city: string): Promise<number | undefined> {
  return (await runningProcess(`gateway.${city}`))?.pid;
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
