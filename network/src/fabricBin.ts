import { execFile as execFileCb, spawn } from 'node:child_process';
import { access, cp, mkdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './paths.js';

const execFile = promisify(execFileCb);

/** The Fabric release the network runs: v3.1.5. */
export const FABRIC_VERSION = '3.1.5';
/** The v3.1.5 release commit, which `go install` is pinned to. */
export const FABRIC_COMMIT = '86c1172bec37e6590c6b1ae6f847833df48d65fc';
/** How the Go module proxy names that commit (the module path has no /v3 suffix). */
export const FABRIC_PSEUDO_VERSION = 'v1.4.0-rc1.0.20260618074816-86c1172bec37';
/** Fabric programs the network needs. */
export const FABRIC_TOOLS = ['peer', 'orderer', 'configtxgen', 'osnadmin', 'cryptogen'] as const;

/** A usable Fabric installation: its programs and its default configuration (core.yaml, orderer.yaml). */
export interface FabricInstall {
  binDir: string;
  configDir: string;
  /** Where it was found. */
  source: string;
}

/** Project-local cache of the binaries built by `go install` (ignored by git). */
export const PROJECT_FABRIC_DIR = join(REPO_ROOT, '.fabric');

/**
 * Machine-wide cache shared by every clone of the project on this machine
 * (`$XDG_CACHE_HOME/jiaodong-credit-chain/fabric-v3.1.5`), laid out like
 * Fabric's release bundle (`bin/`, `config/`).
 */
export function machineCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'jiaodong-credit-chain', `fabric-v${FABRIC_VERSION}`);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function hasAllTools(binDir: string): Promise<boolean> {
  for (const tool of FABRIC_TOOLS) if (!(await isExecutable(join(binDir, tool)))) return false;
  return true;
}

async function hasConfig(configDir: string): Promise<boolean> {
  try {
    await access(join(configDir, 'core.yaml'));
    await access(join(configDir, 'orderer.yaml'));
    return true;
  } catch {
    return false;
  }
}

async function goEnv(name: string): Promise<string> {
  const { stdout } = await execFile('go', ['env', name]);
  return stdout.trim();
}

/** The module's own sampleconfig in the Go module cache, when `go install` fetched it. */
async function moduleSampleConfig(): Promise<string | undefined> {
  try {
    const dir = join(await goEnv('GOMODCACHE'), `github.com/hyperledger/fabric@${FABRIC_PSEUDO_VERSION}`, 'sampleconfig');
    return (await hasConfig(dir)) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds an installed Fabric, in this order: `FABRIC_BIN` (config from
 * `FABRIC_CFG_DIR`, or `../config` beside it as in the release bundle), the
 * project cache `.fabric/`, the machine cache. Returns `undefined` when none is complete.
 */
export async function findFabric(): Promise<FabricInstall | undefined> {
  if (process.env.FABRIC_BIN) {
    const binDir = resolve(process.env.FABRIC_BIN);
    const configDir = resolve(process.env.FABRIC_CFG_DIR ?? join(binDir, '..', 'config'));
    if (!(await hasAllTools(binDir))) throw new Error(`FABRIC_BIN=${binDir} lacks one of ${FABRIC_TOOLS.join(', ')}`);
    const cfg = (await hasConfig(configDir)) ? configDir : await moduleSampleConfig();
    if (!cfg) throw new Error(`no core.yaml/orderer.yaml in ${configDir}; set FABRIC_CFG_DIR to Fabric's sampleconfig`);
    return { binDir, configDir: cfg, source: 'FABRIC_BIN' };
  }
  for (const [dir, source] of [
    [PROJECT_FABRIC_DIR, 'project cache .fabric/'],
    [machineCacheDir(), 'machine cache'],
  ] as const) {
    if ((await hasAllTools(join(dir, 'bin'))) && (await hasConfig(join(dir, 'config')))) {
      return { binDir: join(dir, 'bin'), configDir: join(dir, 'config'), source: `${source} (${dir})` };
    }
  }
  return undefined;
}

/** The failure of `go install`, with the exact command and what it printed. */
export class FabricInstallError extends Error {
  readonly command: string;
  readonly output: string;
  constructor(command: string, output: string) {
    super(`Fabric could not be installed: \`${command}\` failed:\n${output}`);
    this.name = 'FabricInstallError';
    this.command = command;
    this.output = output;
  }
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

/**
 * Installs the Fabric programs with `go install`, pinned to the v3.1.5 release
 * commit, into `.fabric/bin`, and copies the module's sampleconfig to
 * `.fabric/config`. Each tool is built only when missing.
 *
 * @throws FabricInstallError when the Go toolchain or module proxy refuses.
 */
export async function installFabric(log: (line: string) => void): Promise<FabricInstall> {
  const binDir = join(PROJECT_FABRIC_DIR, 'bin');
  const configDir = join(PROJECT_FABRIC_DIR, 'config');
  await mkdir(binDir, { recursive: true });
  const env = { ...process.env, GOBIN: binDir, GOFLAGS: '-buildvcs=false' };
  let n = 0;
  for (const tool of FABRIC_TOOLS) {
    n += 1;
    if (await isExecutable(join(binDir, tool))) {
      log(`(${n}/${FABRIC_TOOLS.length}) ${tool}: already built`);
      continue;
    }
    const args = [
      'install',
      '-ldflags',
      `-X github.com/hyperledger/fabric/common/metadata.Version=${FABRIC_VERSION}`,
      `github.com/hyperledger/fabric/cmd/${tool}@${FABRIC_COMMIT}`,
    ];
    log(`(${n}/${FABRIC_TOOLS.length}) go ${args.join(' ')}`);
    const t0 = Date.now();
    const { code, output } = await run('go', args, env, (line) => log(`    ${line}`));
    if (code !== 0) throw new FabricInstallError(`go ${args.join(' ')}`, output.trim());
    log(`(${n}/${FABRIC_TOOLS.length}) ${tool}: built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  if (!(await hasConfig(configDir))) {
    const sample = await moduleSampleConfig();
    if (!sample) throw new FabricInstallError('locate sampleconfig', 'the Fabric module is not in the Go module cache');
    await cp(sample, configDir, { recursive: true });
  }
  return { binDir, configDir, source: `go install (${PROJECT_FABRIC_DIR})` };
}

/** Finds Fabric, installing it with `go install` when no installation is found. */
export async function ensureFabric(log: (line: string) => void): Promise<FabricInstall> {
  const found = await findFabric();
  if (found) {
    log(`Fabric ${FABRIC_VERSION}: using ${found.source}`);
    return found;
  }
  log(`Fabric ${FABRIC_VERSION}: not installed; building with go install (a cold build takes a few minutes)`);
  return installFabric(log);
}
