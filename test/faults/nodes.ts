/**
 * Fault injection on the running local network: SIGKILL of ordering nodes, peers and
 * chaincode servers that `network:up` started (found by their pid files, never by name),
 * and their restart with the same configuration.
 */
import { readFile } from 'node:fs/promises';
import type { CityId } from '@jcc/domain';
import {
  chaincodeServerSpec,
  cityNodes,
  ensureFabric,
  nodeNames,
  ordererSpec,
  peerSpec,
  runningProcess,
  runtimePaths,
  startProcess,
  waitForPort,
  type FabricInstall,
} from '@jcc/network';

/** Which node of a city. */
export type NodeKind = 'orderer' | 'peer' | 'chaincode';

let fabric: Promise<FabricInstall> | undefined;
const install = () => (fabric ??= ensureFabric(() => {}));

/** The managed-process name of a city's node, e.g. `orderer.qingdao`. */
export function nodeName(city: CityId, kind: NodeKind): string {
  return nodeNames(cityNodes(city))[kind];
}

/** Kills a node with SIGKILL (no clean shutdown) and waits until it is gone. */
export async function killNode(city: CityId, kind: NodeKind): Promise<void> {
  const name = nodeName(city, kind);
  const record = await runningProcess(name);
  if (!record) throw new Error(`${name} is not running`);
  process.kill(record.pid, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while ((await runningProcess(name)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (await runningProcess(name)) throw new Error(`${name} survived SIGKILL`);
}

/** Starts a node that is down again, with the configuration `network:up` gave it, and waits for its port. */
export async function restartNode(city: CityId, kind: NodeKind): Promise<void> {
  const n = cityNodes(city);
  const name = nodeName(city, kind);
  if (await runningProcess(name)) return;
  const fab = await install();
  if (kind === 'orderer') {
    await startProcess(ordererSpec(fab, n));
    await waitForPort(name, n.ports.ordererAdmin, { host: n.host });
  } else if (kind === 'peer') {
    await startProcess(peerSpec(fab, n));
    await waitForPort(name, n.ports.peer, { host: n.host });
  } else {
    const state = JSON.parse(await readFile(runtimePaths.stateFile, 'utf8')) as { chaincode?: { packageId: string } };
    if (!state.chaincode) throw new Error('no chaincode deployed');
    await startProcess(chaincodeServerSpec(n, state.chaincode.packageId));
    await waitForPort(name, n.ports.chaincodeServer, { host: n.host });
  }
}

/** The Raft leader of channel `jiaodong`, read from each ordering node's Prometheus metrics. */
export async function raftLeader(cities: readonly CityId[]): Promise<CityId | undefined> {
  for (const city of cities) {
    try {
      const res = await fetch(`http://127.0.0.1:${cityNodes(city).ports.ordererOperations}/metrics`, {
        signal: AbortSignal.timeout(2000),
      });
      const text = await res.text();
      if (/^consensus_etcdraft_is_leader\{channel="jiaodong"\} 1$/m.test(text)) return city;
    } catch {
      // node down or not answering
    }
  }
  return undefined;
}
