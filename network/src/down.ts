import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeNames } from './nodeEnv.js';
import { REPO_ROOT, RUNTIME_DIR } from './paths.js';
import { stopProcess } from './processes.js';
import { allCityNodes } from './topology.js';

/**
 * Stops the processes `network:up` started (chaincode servers, peers, then
 * ordering nodes), each found by its pid file. With `purge`, also deletes
 * ledgers, crypto material and the gateways' stores, which refer to that ledger.
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
  if (options.purge) {
    await rm(RUNTIME_DIR, { recursive: true, force: true });
    await rm(join(REPO_ROOT, '.data', 'gateway'), { recursive: true, force: true });
    log(`purged ${RUNTIME_DIR} (ledgers, crypto material) and .data/gateway`);
  }
}
