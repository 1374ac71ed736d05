import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeNames } from './nodeEnv.js';
import { REPO_ROOT, RUNTIME_DIR } from './paths.js';
import { runningProcesses, stopProcess } from './processes.js';
import { allCityNodes } from './topology.js';
import { activeHostsLayout } from './hostsLayout.js';
import { inNamespace, removeNamespaces } from './netns.js';

/**
 * Stops the processes `network:up` started (chaincode servers, peers, then
 * ordering nodes), each found by its pid file. With `purge`, also deletes
 * ledgers, crypto material and the gateways' stores, which refer to that ledger.
 * In the `--hosts` mode it also stops the gateways running in the cities' namespaces
 * and deletes the namespaces (`network:up` creates them again) — unless it runs inside
 * the hub namespace (a test taking the network down and up again), which it keeps.
 */
export async function networkDown(options: { purge?: boolean; log?: (line: string) => void } = {}): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const nodes = allCityNodes();
  for (const kind of ['chaincode', 'peer', 'orderer'] as const) {
    await Promise.all(
      nodes.map(async (n) => {
        const name = nodeNames(n)[kind];
        if (await stopProcess(name)) log(`stopped ${name}`);
      }),
    );
  }
  const hosts = activeHostsLayout();
  if (hosts && !inNamespace(hosts.hub.netns)) {
    for (const g of await runningProcesses('gateway.')) if (await stopProcess(g.name, 20_000)) log(`stopped ${g.name}`);
    for (const ns of await removeNamespaces(hosts)) log(`deleted namespace ${ns}`);
  }
  if (options.purge) {
    await rm(RUNTIME_DIR, { recursive: true, force: true });
    // A --hosts network keeps its gateways' stores in its runtime folder; .data/gateway is the single-host network's.
    if (!hosts) await rm(join(REPO_ROOT, '.data', 'gateway'), { recursive: true, force: true });
    log(`purged ${RUNTIME_DIR} (ledgers, crypto material${hosts ? ', gateway stores' : ''})${hosts ? '' : ' and .data/gateway'}`);
  }
}
