/**
 * `npm run network:up [-- --consensus raft|bft] [--hosts [--netns-prefix jcc-] [--subnet 10.251.0.0/24]]`:
 * brings the five-city network up (idempotent). With `--hosts` each city runs in a network
 * namespace of its own; the set-up then runs from the hub namespace (this script runs itself
 * again there). A network already in `--hosts` mode stays in it.
 */
import { parseArgs } from 'node:util';
import {
  activeHostsLayout,
  hostsLayout,
  inNamespace,
  networkUp,
  prepareHosts,
  rerunInNamespace,
  DEFAULT_HOSTS_SUBNET,
  DEFAULT_NETNS_PREFIX,
  type Consensus,
} from '@jcc/network';

const { values } = parseArgs({
  options: {
    consensus: { type: 'string' },
    hosts: { type: 'boolean', default: false },
    'netns-prefix': { type: 'string' },
    subnet: { type: 'string' },
  },
});
const consensus = values.consensus as Consensus | undefined;
if (consensus !== undefined && consensus !== 'raft' && consensus !== 'bft') {
  process.stderr.write(`--consensus must be raft or bft, not ${consensus}\n`);
  process.exit(2);
}
try {
  const recorded = activeHostsLayout();
  if (values.hosts || recorded) {
    const layout = hostsLayout(
      values['netns-prefix'] ?? process.env.JCC_NETNS_PREFIX ?? recorded?.prefix ?? DEFAULT_NETNS_PREFIX,
      values.subnet ?? process.env.JCC_HOSTS_SUBNET ?? recorded?.subnet ?? DEFAULT_HOSTS_SUBNET,
    );
    if (!inNamespace(layout.hub.netns)) {
      for (const line of await prepareHosts(layout)) process.stderr.write(`network:up: created ${line}\n`);
      process.exit(await rerunInNamespace(layout.hub.netns));
    }
  }
  await networkUp({ consensus });
} catch (err) {
  process.stderr.write(`network:up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
