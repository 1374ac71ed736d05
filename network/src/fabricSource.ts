import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FABRIC_RELEASE, PROJECT_FABRIC_DIR, type SourceRelease } from './fabricRelease.js';
import { networkSettings } from './settings.js';

/** The Go module path a genuine Fabric source tree declares in its `go.mod`. */
export const FABRIC_MODULE = FABRIC_RELEASE.module;

/** A step of a source build that failed: the exact command (or check) and what it printed. */
export class FabricSourceError extends Error {
  /** The command that failed, or the check that did not hold. */
  readonly command: string;
  /** What the command printed, or why the check failed. */
  readonly output: string;
  constructor(command: string, output: string) {
    super(`\`${command}\` failed:\n${output}`);
    this.name = 'FabricSourceError';
    this.command = command;
    this.output = output;
  }
}

/** Runs a program, streaming its lines to `onLine`; resolves with its exit code and output. */
export function runStreaming(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string },
  onLine: (line: string) => void,
): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) onLine(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err) => resolvePromise({ code: 127, output: output + String(err) }));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Checks that `tree` is the source tree of `release` (default Fabric v3.1.5) with its
 * `vendor/`: the Makefile's version variable (`FABRIC_VER`, `BASE_VERSION`), the
 * `go.mod` module path, and the configuration folder the release needs (`sampleconfig/`).
 *
 * @throws FabricSourceError naming what does not hold.
 */
export async function checkSourceTree(tree: string, release: SourceRelease = FABRIC_RELEASE): Promise<void> {
  let makefile: string;
  let gomod: string;
  try {
    makefile = await readFile(join(tree, 'Makefile'), 'utf8');
    gomod = await readFile(join(tree, 'go.mod'), 'utf8');
  } catch (err) {
    throw new FabricSourceError(`read ${tree}/Makefile and go.mod`, String(err));
  }
  const { variable, value } = release.makefileVersion;
  const ver = new RegExp(`^${variable}\\s*\\??=\\s*(\\S+)\\s*$`, 'm').exec(makefile)?.[1];
  if (ver !== value) {
    throw new FabricSourceError(`check ${variable} in ${tree}/Makefile`, `found ${ver ?? `no ${variable}`}, need ${value}`);
  }
  const mod = /^module\s+(\S+)\s*$/m.exec(gomod)?.[1];
  if (mod !== release.module) {
    throw new FabricSourceError(`check the module path in ${tree}/go.mod`, `found ${mod ?? 'no module line'}, need ${release.module}`);
  }
  if (!(await isDirectory(join(tree, 'vendor')))) {
    throw new FabricSourceError(`check ${tree}/vendor`, 'the tree has no vendor/ folder, so it cannot build without a module proxy');
  }
  if (release.configFolder && !(await isDirectory(join(tree, release.configFolder)))) {
    throw new FabricSourceError(
      `check ${tree}/${release.configFolder}`,
      `the tree has no ${release.configFolder}/ (core.yaml, orderer.yaml)`,
    );
  }
}

/**
 * Returns the source tree `source` (`FABRIC_SOURCE`, `FABRIC_CA_SOURCE`) names: the folder
 * itself, or the archive unpacked into `.fabric/<release.unpackFolder>/` (`.fabric/src/` for
 * Fabric; ignored by git; reused when already unpacked).
 */
export async function sourceTree(source: string, log: (line: string) => void, release: SourceRelease = FABRIC_RELEASE): Promise<string> {
  const path = resolve(source);
  if (await isDirectory(path)) return path;
  try {
    await stat(path);
  } catch {
    throw new FabricSourceError(`stat ${path}`, `the ${release.name} source names no file or folder`);
  }
  const unpackDir = join(PROJECT_FABRIC_DIR, release.unpackFolder);
  const marker = join(unpackDir, '.unpacked-from');
  try {
    if ((await readFile(marker, 'utf8')) === path) {
      const tree = await singleTopFolder(unpackDir);
      if (tree) return tree;
    }
  } catch {
    // not unpacked yet
  }
  await rm(unpackDir, { recursive: true, force: true });
  await mkdir(unpackDir, { recursive: true });
  log(`unpacking ${path} into ${unpackDir}`);
  const t0 = Date.now();
  const args = ['-xzf', path, '-C', unpackDir];
  const { code, output } = await runStreaming('tar', args, {}, () => {});
  if (code !== 0) throw new FabricSourceError(`tar ${args.join(' ')}`, output.trim());
  const tree = await singleTopFolder(unpackDir);
  if (!tree) throw new FabricSourceError(`tar ${args.join(' ')}`, 'the archive does not hold one top-level folder');
  await writeFile(marker, path);
  log(`unpacked in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return tree;
}

async function singleTopFolder(dir: string): Promise<string | undefined> {
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
  return entries.length === 1 ? join(dir, entries[0]!.name) : undefined;
}

/**
 * Builds the programs of `release` (default Fabric v3.1.5) from its source tree or archive,
 * offline (`go build -mod=vendor`, `GOPROXY=off`, the version ldflag), one progress line per
 * tool with its time, and installs them into `targetDir` laid out like Fabric's release
 * bundle (`bin/`, and `config/` from `sampleconfig/` for Fabric). The target appears whole
 * or not at all (built beside it, then renamed).
 *
 * @throws FabricSourceError with the exact command that failed and its output.
 */
export async function buildFromSource(
  source: string,
  targetDir: string,
  log: (line: string) => void,
  release: SourceRelease = FABRIC_RELEASE,
): Promise<void> {
  const tree = await sourceTree(source, log, release);
  await checkSourceTree(tree, release);
  log(`source tree ${tree}: ${release.name} ${release.version}, module ${release.module}, vendor/ present`);
  const staging = `${targetDir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, 'bin'), { recursive: true });
  const env = { ...process.env, GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOWORK: 'off', CGO_ENABLED: networkSettings().cgoEnabled };
  const total = Date.now();
  const tools = release.tools;
  let n = 0;
  try {
    for (const tool of tools) {
      n += 1;
      const args = [
        'build',
        '-mod=vendor',
        '-buildvcs=false',
        '-ldflags',
        `-X ${release.ldflag}`,
        '-o',
        join(staging, 'bin', tool),
        `./cmd/${tool}`,
      ];
      const t0 = Date.now();
      log(`(${n}/${tools.length}) ${tool}: building`);
      const heartbeat = setInterval(
        () => log(`(${n}/${tools.length}) ${tool}: still building (${((Date.now() - t0) / 1000).toFixed(0)} s)`),
        30_000,
      );
      const { code, output } = await runStreaming('go', args, { env, cwd: tree }, (line) => log(`    ${line}`)).finally(() =>
        clearInterval(heartbeat),
      );
      if (code !== 0) throw new FabricSourceError(`(cd ${tree} && GOFLAGS=-mod=vendor GOPROXY=off go ${args.join(' ')})`, output.trim());
      log(`(${n}/${tools.length}) ${tool}: built from source in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (release.configFolder) await cp(join(tree, release.configFolder), join(staging, 'config'), { recursive: true });
    await mkdir(resolve(targetDir, '..'), { recursive: true });
    await rm(targetDir, { recursive: true, force: true });
    await rename(staging, targetDir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  log(`${release.name} ${release.version} built from source in ${((Date.now() - total) / 1000).toFixed(0)} s into ${targetDir}`);
}
