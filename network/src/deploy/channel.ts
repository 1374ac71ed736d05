import { channelProfile } from '../channelConfig.js';
import { REPO_ROOT, RUNTIME_DIR } from '../paths.js';
import type { Consensus } from '../topology.js';
import type { DeployCity } from './kitTopology.js';
import { assertRelocated, hostNameRules, hostsByPort, localAddressesOf, orgPathRules, relocateValue } from './relocate.js';

/**
 * The channel configuration (configtx.yaml's profile `Jiaodong`) of a real deployment: the
 * single-host network's own profile ({@link channelProfile}: policies, batch sizes,
 * capabilities, consenters), with every organisation's MSP folder and orderer certificate
 * taken from `orgs/<city>/` (paths relative to configtx.yaml) and every endpoint, anchor peer
 * and consenter at the city's real host name.
 */
export function deployChannelProfile(cities: DeployCity[], consensus: Consensus): object {
  const r = {
    paths: cities.flatMap((c) => orgPathRules(c, `orgs/${c.city.id}`)).sort((a, b) => b[0].length - a[0].length),
    hosts: hostNameRules(cities),
    hostOfPort: hostsByPort(cities),
    addresses: localAddressesOf(cities),
  };
  const layout = cities[0]?.layout ?? null;
  const profile = relocateValue(channelProfile(consensus, layout), r);
  assertRelocated(profile, [REPO_ROOT, RUNTIME_DIR, ...r.addresses], 'the channel profile', r);
  return profile;
}
