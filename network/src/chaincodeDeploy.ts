import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { keySetCollectionsConfig } from '@jcc/domain';
import type { FabricInstall } from './fabricBin.js';
import { runTool } from './exec.js';
import { adminCliEnv } from './nodeEnv.js';
import { REPO_ROOT, runtimePaths } from './paths.js';
import { allCityNodes, CHAINCODE, CHANNEL, type CityNodes } from './topology.js';

/** The chaincode endorsement policy: any two of the five cities' peers. */
export const ENDORSEMENT_POLICY = `OutOf(2,${allCityNodes()
  .map((n) => `'${n.city.mspId}.peer'`)
  .join(',')})`;

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.name.endsWith('.js') || entry.name === 'package.json') out.push(path);
  }
  return out.sort();
}

/**
 * Digest of the chaincode as it runs: the compiled chaincode and domain code
 * and their package manifests. A change of this digest is a new chaincode
 * version, deployed with the next sequence.
 */
export async function chaincodeDigest(): Promise<string> {
  const hash = createHash('sha256');
  for (const root of ['chaincode/dist', 'domain/dist']) {
    for (const file of await listFiles(join(REPO_ROOT, root))) {
      hash
        .update(relative(REPO_ROOT, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  for (const manifest of ['chaincode/package.json', 'domain/package.json']) hash.update(await readFile(join(REPO_ROOT, manifest)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Writes the chaincode-as-a-service package for a version: metadata.json of
 * type `ccaas` and a code.tar.gz holding connection.json (whose address and
 * TLS material the peer's builder fills in per city). Returns its path.
 */
export async function writeCcaasPackage(version: string): Promise<string> {
  const label = `${CHAINCODE}_${version}`;
  await mkdir(runtimePaths.chaincode, { recursive: true });
  const out = join(runtimePaths.chaincode, `${label}.tar.gz`);
  const work = await mkdtemp(join(tmpdir(), 'jcc-ccaas-'));
  try {
    await writeFile(join(work, 'connection.json'), JSON.stringify({ address: '', dial_timeout: '10s', tls_required: true }));
    const tarFlags = ['--sort=name', '--mtime=2026-01-01 00:00Z', '--owner=0', '--group=0', '--numeric-owner'];
    await runTool('tar', [...tarFlags, '-czf', join(work, 'code.tar.gz'), '-C', work, 'connection.json']);
    await writeFile(join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label }));
    await runTool('tar', [...tarFlags, '-czf', out, '-C', work, 'metadata.json', 'code.tar.gz']);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return out;
}

/** Runs Fabric's `peer` CLI as a city's admin. */
export function peerCli(fabric: FabricInstall, n: CityNodes, args: string[]): Promise<string> {
  return runTool(join(fabric.binDir, 'peer'), args, { ...process.env, FABRIC_LOGGING_SPEC: 'WARNING', ...adminCliEnv(fabric, n) });
}

const ordererArgs = (n: CityNodes) => ['-o', `${n.host}:${n.ports.orderer}`, '--tls', '--cafile', n.tlsCaCert];

/** The package id (`label:hash`) of a package file. */
export async function packageId(fabric: FabricInstall, n: CityNodes, packagePath: string): Promise<string> {
  return (await peerCli(fabric, n, ['lifecycle', 'chaincode', 'calculatepackageid', packagePath])).trim();
}

/** Installs the package on a city's peer unless it is installed already. */
export async function installOnPeer(fabric: FabricInstall, n: CityNodes, packagePath: string, id: string): Promise<'installed' | 'kept'> {
  const installed = await peerCli(fabric, n, ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json']);
  const list = (JSON.parse(installed || '{}') as { installed_chaincodes?: { package_id: string }[] }).installed_chaincodes ?? [];
  if (list.some((c) => c.package_id === id)) return 'kept';
  await peerCli(fabric, n, ['lifecycle', 'chaincode', 'install', packagePath]);
  return 'installed';
}

/** The committed definition of the chaincode, or undefined before the first commit. */
export async function committedDefinition(fabric: FabricInstall, n: CityNodes): Promise<{ sequence: number; version: string } | undefined> {
  try {
    const out = await peerCli(fabric, n, [
      'lifecycle',
      'chaincode',
      'querycommitted',
      '--channelID',
      CHANNEL,
      '--name',
      CHAINCODE,
      '--output',
      'json',
    ]);
    const def = JSON.parse(out) as { sequence: number; version: string };
    return { sequence: def.sequence, version: def.version };
  } catch (err) {
    if (String(err).includes('404') || String(err).includes('not found')) return undefined;
    throw err;
  }
}

/**
 * Writes the collections configuration of the chaincode definition (the key
 * set seals, one collection per city: see `@jcc/domain` key-set-seal) and
 * returns its path. Every city approves the same file.
 */
export async function writeCollectionsConfig(dir: string = runtimePaths.chaincode): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'collections.json');
  await writeFile(path, JSON.stringify(keySetCollectionsConfig(), null, 2) + '\n');
  return path;
}

const definitionArgs = (version: string, sequence: number, collections: string) => [
  '--channelID',
  CHANNEL,
  '--name',
  CHAINCODE,
  '--version',
  version,
  '--sequence',
  String(sequence),
  '--signature-policy',
  ENDORSEMENT_POLICY,
  '--collections-config',
  collections,
];

/** A city approves the chaincode definition for its organisation. */
export async function approveForCity(fabric: FabricInstall, n: CityNodes, id: string, version: string, sequence: number): Promise<void> {
  await peerCli(fabric, n, [
    'lifecycle',
    'chaincode',
    'approveformyorg',
    ...ordererArgs(n),
    ...definitionArgs(version, sequence, await writeCollectionsConfig()),
    '--package-id',
    id,
  ]);
}

/** Commits the approved definition, collecting endorsements from every city's peer. */
export async function commitDefinition(fabric: FabricInstall, n: CityNodes, version: string, sequence: number): Promise<void> {
  const peers = allCityNodes().flatMap((c) => ['--peerAddresses', `${c.host}:${c.ports.peer}`, '--tlsRootCertFiles', c.tlsCaCert]);
  const collections = await writeCollectionsConfig();
  await peerCli(fabric, n, [
    'lifecycle',
    'chaincode',
    'commit',
    ...ordererArgs(n),
    ...definitionArgs(version, sequence, collections),
    ...peers,
  ]);
}

/** Asks a city's peer for the chaincode's contract metadata: proves the chaincode answers there. */
export async function chaincodeMetadata(fabric: FabricInstall, n: CityNodes): Promise<{ contracts: Record<string, unknown> }> {
  const out = await peerCli(fabric, n, [
    'chaincode',
    'query',
    '-C',
    CHANNEL,
    '-n',
    CHAINCODE,
    '-c',
    '{"Args":["org.hyperledger.fabric:GetMetadata"]}',
  ]);
  return JSON.parse(out) as { contracts: Record<string, unknown> };
}
