import { CITIES, type City, type CityId } from '@jcc/domain';
import type { HostsLayout } from '../hostsLayout.js';
import { cityCaPorts, cityNodes, gatewayUrl, type CityCaPorts, type CityNodes, type CityPorts } from '../topology.js';
import type { DeployParams } from './cities.js';

/** Host names of one city's nodes in a real deployment. */
export interface DeployHosts {
  peer: string;
  orderer: string;
  chaincode: string;
  ca: string;
  gateway: string;
}

/**
 * One city as the deployment kit sees it: the single-host topology's ports, MSP id and
 * node names (`peer0`, `orderer0`, `ccaas0`), with the city's real domain and host names.
 */
export interface DeployCity {
  city: City;
  /** The city's real domain. */
  domain: string;
  hosts: DeployHosts;
  /** The address the host names resolve to, when given. */
  address?: string;
  /** Every port, the same numbers as the single-host network: nodes, CA, gateway. */
  ports: CityPorts & CityCaPorts & { gateway: number };
  /** Public URL of the city's gateway. */
  gatewayPublicUrl: string;
  /** The local description this city is derived from (single-host by default). */
  local: CityNodes;
  /** The local network's layout `local` was taken from: `null` for the single-host network. */
  layout: HostsLayout | null;
}

/** The first label of a node's host name in the single-host topology (`peer0` of `peer0.qingdao.jiaodong.local`). */
export function nodeLabel(host: string, orgDomain: string): string {
  const suffix = `.${orgDomain}`;
  if (!host.endsWith(suffix)) throw new RangeError(`${host} is not in ${orgDomain}`);
  return host.slice(0, -suffix.length);
}

/**
 * The deployment view of one city: topology + that city's parameters. `layout` is the local
 * network the values are derived from: the single-host one (default) or a `--hosts` layout;
 * both give the same kit (test/deploy/hosts.test.ts).
 */
export function deployCity(params: DeployParams, id: CityId, layout: HostsLayout | null = null): DeployCity {
  const index = CITIES.findIndex((c) => c.id === id);
  const local = cityNodes(id, layout);
  const p = params.cities[id];
  if (!p) throw new RangeError(`no deployment parameters for ${id}`);
  const derive = (host: string) => `${nodeLabel(host, local.orgDomain)}.${p.domain}`;
  const hosts: DeployHosts = {
    peer: p.hosts?.peer ?? derive(local.peerHost),
    orderer: p.hosts?.orderer ?? derive(local.ordererHost),
    chaincode: p.hosts?.chaincode ?? derive(local.chaincodeHost),
    ca: p.hosts?.ca ?? `ca.${p.domain}`,
    gateway: p.hosts?.gateway ?? `gateway.${p.domain}`,
  };
  const ports = { ...local.ports, ...cityCaPorts(index), gateway: local.city.gatewayPort };
  return {
    city: local.city,
    domain: p.domain,
    hosts,
    ...(p.address ? { address: p.address } : {}),
    ports,
    gatewayPublicUrl: p.gatewayPublicUrl ?? `http://${hosts.gateway}:${ports.gateway}`,
    local,
    layout,
  };
}

/** All five cities, in the city table's order (local layout as in {@link deployCity}). */
export function deployCities(params: DeployParams, layout: HostsLayout | null = null): DeployCity[] {
  return CITIES.map((c) => deployCity(params, c.id, layout));
}

/**
 * The deployment parameters that describe a `--hosts` network: each city's domain as on the
 * local network (`qingdao.jiaodong.local`), its address on the bridge, its gateway's URL there.
 * A kit generated from them is the configuration the `--hosts` mode runs, in containers.
 */
export function hostsDeployParams(layout: HostsLayout, consensus: DeployParams['consensus'] = 'raft'): DeployParams {
  const cities = Object.fromEntries(
    CITIES.map((c) => {
      const n = cityNodes(c.id, layout);
      return [c.id, { domain: n.orgDomain, address: n.host, gatewayPublicUrl: gatewayUrl(c.id, layout) }];
    }),
  ) as DeployParams['cities'];
  return { cities, imagePrefix: 'jiaodong-credit-chain', consensus };
}
