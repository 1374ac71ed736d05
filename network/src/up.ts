import { join } from 'node:path';
import { ensureFabric, type FabricInstall } from './fabricBin.js';
import { ensureCryptoMaterial } from './cryptoMaterial.js';
import { ensureCaIdentities } from './cityCa.js';
import { ensureGenesisBlock } from './channelConfig.js';
import { joinOrderer, joinPeer } from './channelJoin.js';
import {
  approveForCity,
  chaincodeDigest,
  chaincodeMetadata,
  commitDefinition,
  committedDefinition,
  installOnPeer,
  packageId,
  writeCcaasPackage,
} from './chaincodeDeploy.js';
import { runTool } from './exec.js';
import { chaincodeServerSpec, nodeNames, ordererSpec, peerSpec } from './nodeEnv.js';
import { describeNetwork, writeNetworkFile } from './networkFile.js';
import { pathExists, REPO_ROOT, runtimePaths } from './paths.js';
import { sleep } from './polling.js';
import { runningProcess, startProcess, stopProcess, waitForPort } from './processes.js';
import { assertPortsFree } from './ports.js';
import { Progress } from './progress.js';
import { waitForEndorsementAcrossCities } from './readiness.js';
import { readState, writeState, type NetworkState } from './state.js';
import { allCityNodes, type Consensus } from './topology.js';
import { activeHostsLayout, writeHostsFile, type HostsLayout } from './hostsLayout.js';
import { ensureNamespaces, inNamespace } from './netns.js';

/** Options of {@link networkUp}. */
export interface UpOptions {
  /** Consensus of a new network (an existing one keeps its own). Default `raft`. */
  consensus?: Consensus;
}

/** The runtime folder holds a network of the other mode (single-host vs `--hosts`), or another layout. */
export class NetworkModeError extends Error {
  override readonly name = 'NetworkModeError';
}

/**
 * Prepares the `--hosts` mode in the runtime folder: refuses when a single-host network
 * (or one of another prefix or subnet) lives there, creates the namespaces, bridge and
 * links that are missing, and records the layout. Returns what it created.
 */
export async function prepareHosts(layout: HostsLayout): Promise<string[]> {
  const recorded = activeHostsLayout();
  if (!recorded && (await readState())) {
    throw new NetworkModeError(
      'a single-host network lives in this runtime folder; run `npm run network:down -- --purge` first, or give the --hosts network its own JCC_RUNTIME_DIR',
    );
  }
  if (recorded && (recorded.prefix !== layout.prefix || recorded.subnet !== layout.subnet)) {
    throw new NetworkModeError(
      `the --hosts network here uses prefix ${recorded.prefix} and subnet ${recorded.subnet} (its certificates and channel name those addresses); ` +
        'run `npm run network:down -- --purge` to change them',
    );
  }
  const done = await ensureNamespaces(layout);
  await writeHostsFile(layout);
  return done;
}

/** Compiles the shared domain code and the chaincode. */
async function buildChaincode(): Promise<void> {
  await runTool(
    process.execPath,
    [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'domain', 'chaincode'],
    process.env,
    REPO_ROOT,
  );
}

/** Runs `work` for every city at once. */
function eachCity<T>(work: (n: ReturnType<typeof allCityNodes>[number]) => Promise<T>): Promise<T[]> {
  return Promise.all(allCityNodes().map(work));
}

/**
 * Deploys the chaincode when its compiled code changed since the committed
 * definition (new package, installed on all five peers, approved by each city,
 * committed with the next sequence), and makes sure each city's chaincode
 * server runs the committed package.
 */
async function deployChaincode(fabric: FabricInstall, state: NetworkState, progress: Progress): Promise<NetworkState['chaincode']> {
  const [first] = allCityNodes();
  if (!first) throw new Error('no cities');
  const version = await chaincodeDigest();
  const committed = await committedDefinition(fabric, first);
  if (committed && committed.version === version && state.chaincode?.version === version) {
    progress.note(`chaincode version ${version} (sequence ${committed.sequence}) already committed`);
    await eachCity(async (n) => {
      const { started } = await startProcess(chaincodeServerSpec(n, state.chaincode!.packageId));
      if (started) progress.note(`started ${nodeNames(n).chaincode}`);
    });
    return state.chaincode;
  }
  const sequence = (committed?.sequence ?? 0) + 1;
  progress.note(`deploying chaincode version ${version} as sequence ${sequence}`);
  const pkg = await writeCcaasPackage(version);
  const id = await packageId(fabric, first, pkg);
  await eachCity(async (n) => progress.note(`${n.city.id}: package ${await installOnPeer(fabric, n, pkg, id)}`));
  await eachCity(async (n) => {
    const running = await runningProcess(nodeNames(n).chaincode);
    if (running) await stopProcess(nodeNames(n).chaincode);
    await startProcess(chaincodeServerSpec(n, id));
    await waitForPort(nodeNames(n).chaincode, n.ports.chaincodeServer, { host: n.host });
  });
  for (const n of allCityNodes()) {
    // Right after a restart the ordering service may still be electing a leader.
    await retry(() => approveForCity(fabric, n, id, version, sequence), 30, 1000);
    progress.note(`${n.city.id}: approved`);
  }
  await retry(() => commitDefinition(fabric, first, version, sequence), 10, 1000);
  progress.note(`committed sequence ${sequence}`);
  return { version, sequence, packageId: id };
}

async function retry<T>(work: () => Promise<T>, attempts: number, delayMs: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (err) {
      if (i >= attempts) throw err;
      await sleep(delayMs);
    }
  }
}

/**
 * Brings the five-city network up: binaries, crypto material (cryptogen; in the `--hosts`
 * mode each city's own Fabric CA, kept running), genesis block,
 * five ordering nodes joined to channel `jiaodong`, five peers joined, the
 * chaincode deployed as a service; returns once the chaincode answers on all
 * five peers. Idempotent: what exists and runs is kept.
 */
export async function networkUp(options: UpOptions = {}): Promise<void> {
  const progress = new Progress('network:up', 9);
  const fabric = await progress.step('Fabric binaries', () => ensureFabric((line) => progress.note(line)));
  await progress.step('build chaincode', buildChaincode);
  const previous = await readState();
  const ledgerExists = await pathExists(join(runtimePaths.nodes, nodeNames(allCityNodes()[0]!).orderer));
  const consensus: Consensus = previous && ledgerExists ? previous.consensus : (options.consensus ?? 'raft');
  if (options.consensus && options.consensus !== consensus) {
    throw new Error(
      `the network exists with ${consensus} consensus; run \`npm run network:down -- --purge\` to start over with ${options.consensus}`,
    );
  }
  const state: NetworkState = { ...(previous ?? {}), consensus };
  const hosts = activeHostsLayout();
  if (hosts) {
    if (!inNamespace(hosts.hub.netns))
      throw new NetworkModeError(`the --hosts network is set up from its hub namespace ${hosts.hub.netns}`);
    progress.note(`one namespace per city (${hosts.prefix}<city>, ${hosts.subnet}), set up from ${hosts.hub.netns}`);
  } else {
    await assertPortsFree();
  }
  if (hosts) {
    // The kit's identity path: each city's own Fabric CA, in its namespace, and the kit's enrolment.
    await progress.step("identities from each city's Fabric CA", async () => {
      for (const line of await ensureCaIdentities(hosts, (l) => progress.note(l))) progress.note(line);
    });
  } else {
    await progress.step('crypto material (cryptogen, development only)', async () => progress.note(await ensureCryptoMaterial(fabric)));
  }
  await progress.step(`channel genesis block (${consensus})`, async () => progress.note(await ensureGenesisBlock(fabric, consensus)));
  await progress.step('ordering nodes', () =>
    eachCity(async (n) => {
      const name = nodeNames(n).orderer;
      const { started } = await startProcess(ordererSpec(fabric, n));
      await waitForPort(name, n.ports.ordererAdmin, { host: n.host });
      progress.note(`${name} ${started ? 'started' : 'running'} on ${n.host}:${n.ports.orderer}`);
    }),
  );
  await progress.step('join ordering nodes to channel jiaodong', () =>
    eachCity(async (n) => progress.note(`${nodeNames(n).orderer}: ${await retry(() => joinOrderer(fabric, n), 10, 500)}`)),
  );
  await progress.step('peers', () =>
    eachCity(async (n) => {
      const name = nodeNames(n).peer;
      const { started } = await startProcess(peerSpec(fabric, n));
      await waitForPort(name, n.ports.peer, { host: n.host });
      progress.note(`${name} ${started ? 'started' : 'running'} on ${n.host}:${n.ports.peer}`);
    }),
  );
  await progress.step('join peers to channel jiaodong', () =>
    eachCity(async (n) => progress.note(`${nodeNames(n).peer}: ${await retry(() => joinPeer(fabric, n), 20, 500)}`)),
  );
  await progress.step('chaincode creditchain (as a service)', async () => {
    state.chaincode = await deployChaincode(fabric, state, progress);
    await writeState(state);
    await eachCity(async (n) => {
      const metadata = await retry(() => chaincodeMetadata(fabric, n), 60, 1000);
      progress.note(`${n.city.id}: chaincode answers (${Object.keys(metadata.contracts).length} contracts)`);
    });
    await writeNetworkFile(await describeNetwork(consensus));
    const waited = await waitForEndorsementAcrossCities(allCityNodes()[0]!, allCityNodes());
    progress.note(`service discovery sees all five peers (waited ${(waited / 1000).toFixed(1)} s)`);
  });
  process.stderr.write(
    `network:up: ready in ${progress.elapsed()} (${consensus}${hosts ? `, one host per city on ${hosts.subnet}` : ''}, chaincode ${state.chaincode?.version} sequence ${state.chaincode?.sequence})\n`,
  );
}
