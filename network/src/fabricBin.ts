import { execFile as execFileCb } from 'node:child_process';
import { cp, mkdir } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  FABRIC_CA_RELEASE,
  FABRIC_COMMIT,
  FABRIC_PSEUDO_VERSION,
  FABRIC_TOOLS,
  FABRIC_VERSION,
  PROJECT_FABRIC_DIR,
  machineCacheDir,
} from './fabricRelease.js';
import { buildFromSource, FabricSourceError, runStreaming } from './fabricSource.js';
import { pathExists } from './paths.js';
import { networkSettings } from './settings.js';

const execFile = promisify(execFileCb);

/** A usable Fabric installation: its programs and its default configuration (core.yaml, orderer.yaml). */
export interface FabricInstall {
  binDir: string;
  configDir: string;
  /** Where it was found. */
  source: string;
}

function isExecutable(path: string): Promise<boolean> {
  return pathExists(path, constants.X_OK);
}

async function missingTools(binDir: string, tools: readonly string[] = FABRIC_TOOLS): Promise<string[]> {
  const missing: string[] = [];
  for (const tool of tools) if (!(await isExecutable(join(binDir, tool)))) missing.push(tool);
  return missing;
}

async function hasConfig(configDir: string): Promise<boolean> {
  return (await pathExists(join(configDir, 'core.yaml'))) && pathExists(join(configDir, 'orderer.yaml'));
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

/** One way of obtaining Fabric that was tried, and why it did not give a usable installation. */
export interface FabricAttempt {
  /** The way, e.g. `machine cache`. */
  way: string;
  /** The exact command that failed, or what was looked at. */
  command: string;
  /** What the command printed, or what was missing. */
  output: string;
}

/** No way of obtaining Fabric worked; lists every way tried with its command and output. */
export class FabricInstallError extends Error {
  readonly attempts: readonly FabricAttempt[];
  /** @param what the release that could not be had (default Fabric 3.1.5) */
  constructor(attempts: FabricAttempt[], what = `Fabric ${FABRIC_VERSION}`) {
    const hint =
      what === `Fabric ${FABRIC_VERSION}`
        ? [
            "Set FABRIC_BIN to the bin/ folder of Fabric's release bundle, or FABRIC_SOURCE to a Fabric",
            `v${FABRIC_VERSION} source archive (.tar.gz with vendor/) or source tree; see docs/deployment.md.`,
          ]
        : [
            'Set FABRIC_CA_BIN to a folder holding fabric-ca-server and fabric-ca-client, or FABRIC_CA_SOURCE to the',
            `Fabric CA v${FABRIC_CA_RELEASE.version} source archive (.tar.gz with vendor/); see docs/deployment-kit.md.`,
          ];
    super(
      [
        `${what} is not available; every way to obtain it failed:`,
        ...attempts.map((a, i) => `  ${i + 1}. ${a.way}: \`${a.command}\`\n${indent(a.output, '       ')}`),
        ...hint,
      ].join('\n'),
    );
    this.name = 'FabricInstallError';
    this.attempts = attempts;
  }
}

function indent(text: string, prefix: string): string {
  const lines = text.trim().split('\n');
  const shown = lines.length > 12 ? [...lines.slice(0, 4), '…', ...lines.slice(-7)] : lines;
  return shown.map((l) => prefix + l).join('\n');
}

/** A cached installation laid out like the release bundle, when complete. */
async function cached(dir: string, source: string, attempts: FabricAttempt[]): Promise<FabricInstall | undefined> {
  const bin = join(dir, 'bin');
  const missing = await missingTools(bin);
  const config = join(dir, 'config');
  if (missing.length === 0 && (await hasConfig(config))) return { binDir: bin, configDir: config, source: `${source} (${dir})` };
  attempts.push({
    way: source,
    command: `ls ${bin} ${config}`,
    output: missing.length ? `missing ${missing.join(', ')}` : 'no core.yaml/orderer.yaml in config/',
  });
  return undefined;
}

/**
 * `FABRIC_BIN`, when set: the programs there, config from `FABRIC_CFG_DIR` or
 * `../config` beside it as in the release bundle. An explicit choice that does not hold
 * is an error, never silently replaced by another installation.
 */
async function fromFabricBin(): Promise<FabricInstall | undefined> {
  const settings = networkSettings();
  if (!settings.fabricBin) return undefined;
  const binDir = settings.fabricBin;
  const configDir = settings.fabricCfgDir ?? join(binDir, '..', 'config');
  const missing = await missingTools(binDir);
  if (missing.length) {
    throw new FabricInstallError([
      { way: 'FABRIC_BIN', command: `ls ${binDir}`, output: `FABRIC_BIN=${binDir} lacks ${missing.join(', ')}` },
    ]);
  }
  const cfg = (await hasConfig(configDir)) ? configDir : await moduleSampleConfig();
  if (!cfg) {
    throw new FabricInstallError([
      {
        way: 'FABRIC_BIN',
        command: `ls ${configDir}`,
        output: "no core.yaml/orderer.yaml there; set FABRIC_CFG_DIR to Fabric's sampleconfig or config folder",
      },
    ]);
  }
  return { binDir, configDir: cfg, source: `FABRIC_BIN (${binDir})` };
}

/**
 * Finds an installed Fabric, in this order: `FABRIC_BIN`, the project cache
 * `.fabric/`, the machine cache. Returns `undefined` when none is complete.
 *
 * @throws FabricInstallError when `FABRIC_BIN` is set but does not hold Fabric.
 */
export async function findFabric(attempts: FabricAttempt[] = []): Promise<FabricInstall | undefined> {
  const explicit = await fromFabricBin();
  if (explicit) return explicit;
  return (
    (await cached(PROJECT_FABRIC_DIR, 'project cache .fabric/', attempts)) ?? (await cached(machineCacheDir(), 'machine cache', attempts))
  );
}

/**
 * Installs the Fabric programs with `go install`, pinned to the v3.1.5 release
 * commit, into `.fabric/bin`, and copies the module's sampleconfig to `.fabric/config`.
 */
async function installWithGo(log: (line: string) => void): Promise<FabricInstall> {
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
    const { code, output } = await runStreaming('go', args, { env }, (line) => log(`    ${line}`));
    if (code !== 0) throw new FabricSourceError(`go ${args.join(' ')}`, output.trim());
    log(`(${n}/${FABRIC_TOOLS.length}) ${tool}: built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  if (!(await hasConfig(configDir))) {
    const sample = await moduleSampleConfig();
    if (!sample) throw new FabricSourceError('locate sampleconfig in GOMODCACHE', 'the Fabric module is not in the Go module cache');
    await cp(sample, configDir, { recursive: true });
  }
  return { binDir, configDir, source: `go install (${PROJECT_FABRIC_DIR})` };
}

/**
 * Finds Fabric or obtains it, in this order: `FABRIC_BIN` → project cache → machine
 * cache → build from `FABRIC_SOURCE` (a v3.1.5 source archive or tree, offline, into the
 * machine cache) → `go install` pinned to the release commit.
 *
 * @throws FabricInstallError listing every way tried, with the exact command that failed and what it printed.
 */
export async function ensureFabric(log: (line: string) => void): Promise<FabricInstall> {
  const attempts: FabricAttempt[] = [];
  const found = await findFabric(attempts);
  if (found) {
    log(`Fabric ${FABRIC_VERSION}: using ${found.source}`);
    return found;
  }
  const source = networkSettings().fabricSource;
  if (source) {
    const target = machineCacheDir();
    log(
      `Fabric ${FABRIC_VERSION}: not installed; building from the source archive FABRIC_SOURCE=${source} (offline; about 65 s on 2 idle cores, longer on a loaded machine; progress follows)`,
    );
    try {
      await buildFromSource(source, target, log);
      const built = await cached(target, 'machine cache, built from FABRIC_SOURCE', attempts);
      if (built) return built;
    } catch (err) {
      if (!(err instanceof FabricSourceError)) throw err;
      attempts.push({ way: 'FABRIC_SOURCE', command: err.command, output: err.output });
    }
  } else {
    attempts.push({ way: 'FABRIC_SOURCE', command: 'echo $FABRIC_SOURCE', output: 'not set' });
  }
  log(`Fabric ${FABRIC_VERSION}: trying go install (needs a Go module proxy that serves ${'github.com/hyperledger/fabric'})`);
  try {
    return await installWithGo(log);
  } catch (err) {
    if (!(err instanceof FabricSourceError)) throw err;
    attempts.push({ way: 'go install', command: err.command, output: err.output });
  }
  throw new FabricInstallError(attempts);
}

/** A usable Fabric CA installation: the folder holding `fabric-ca-server` and `fabric-ca-client`. */
export interface FabricCaInstall {
  binDir: string;
  /** Where it was found. */
  source: string;
}

/**
 * Finds Fabric CA v1.5.21 or builds it, in this order: `FABRIC_CA_BIN` (an explicit choice
 * that does not hold is an error) → the machine cache (`fabric-ca-v1.5.21/bin`) → a build
 * from `FABRIC_CA_SOURCE` (the release source archive or tree, offline, into the machine
 * cache, by the same source build as Fabric's).
 *
 * @throws FabricInstallError listing every way tried, with the exact command that failed and what it printed.
 */
export async function ensureFabricCa(log: (line: string) => void): Promise<FabricCaInstall> {
  const release = FABRIC_CA_RELEASE;
  const label = `${release.name} ${release.version}`;
  const caBin = networkSettings().fabricCaBin;
  if (caBin) {
    const binDir = caBin;
    const missing = await missingTools(binDir, release.tools);
    if (missing.length) {
      throw new FabricInstallError([{ way: 'FABRIC_CA_BIN', command: `ls ${binDir}`, output: `lacks ${missing.join(', ')}` }], label);
    }
    return { binDir, source: `FABRIC_CA_BIN (${binDir})` };
  }
  const attempts: FabricAttempt[] = [];
  const target = machineCacheDir(release);
  const bin = join(target, 'bin');
  const missing = await missingTools(bin, release.tools);
  if (missing.length === 0) {
    log(`${label}: using the machine cache (${target})`);
    return { binDir: bin, source: `machine cache (${target})` };
  }
  attempts.push({ way: 'machine cache', command: `ls ${bin}`, output: `missing ${missing.join(', ')}` });
  const source = networkSettings().fabricCaSource;
  if (!source) {
    attempts.push({ way: 'FABRIC_CA_SOURCE', command: 'echo $FABRIC_CA_SOURCE', output: 'not set' });
    throw new FabricInstallError(attempts, label);
  }
  log(`${label}: not installed; building from FABRIC_CA_SOURCE=${source} (offline, cgo, about 2.5 minutes on 2 cores)`);
  try {
    await buildFromSource(source, target, log, release);
  } catch (err) {
    if (!(err instanceof FabricSourceError)) throw err;
    attempts.push({ way: 'FABRIC_CA_SOURCE', command: err.command, output: err.output });
    throw new FabricInstallError(attempts, label);
  }
  return { binDir: bin, source: `machine cache, built from FABRIC_CA_SOURCE (${target})` };
}
