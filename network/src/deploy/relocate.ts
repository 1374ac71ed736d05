import { LOOPBACK_HOST, NETWORK_DOMAIN } from '../topology.js';
import type { DeployCity } from './kitTopology.js';

/**
 * How values of the local network (single-host or `--hosts`) become values of a real
 * deployment: local paths become container (or kit) paths, and `<local address>:<port>`
 * (127.0.0.1, or a city's address in the `--hosts` mode) becomes the host name of the node
 * that owns the port (every port of the five cities is distinct), or `0.0.0.0:<port>` where
 * a node listens.
 */
export interface Relocation {
  /** The local addresses the cities' nodes listen on (default: loopback only). */
  addresses?: string[];
  /** Path prefixes, replaced in this order (longest first). */
  paths: [from: string, to: string][];
  /** Host names, replaced after the paths (a path that holds a host name was relocated whole). */
  hosts: [from: string, to: string][];
  /** The host name of each node port of the five cities. */
  hostOfPort: Map<number, string>;
}

/** A value still names a local path or loopback address after relocation. */
export class RelocationError extends Error {
  override readonly name = 'RelocationError';
}

/** Path rules for one city's cryptogen-layout folder: node folders and users get the real domain. */
export function orgPathRules(c: DeployCity, base: string): [string, string][] {
  const n = c.local;
  const rename = (p: string) => p.slice(n.orgDir.length).split(n.orgDomain).join(c.domain);
  return [n.peerDir, n.ordererDir, n.chaincodeServerDir, n.tlsCaCert, n.adminMspDir, n.appMspDir, n.orgDir]
    .map((p): [string, string] => [p, base + rename(p)])
    .sort((a, b) => b[0].length - a[0].length);
}

/** The single-host network's node host names (`peer0.qingdao.jiaodong.local`) and the real ones, for every city. */
export function hostNameRules(cities: DeployCity[]): [string, string][] {
  return cities.flatMap((c): [string, string][] => [
    [c.local.peerHost, c.hosts.peer],
    [c.local.ordererHost, c.hosts.orderer],
    [c.local.chaincodeHost, c.hosts.chaincode],
  ]);
}

/** Which host owns every node port of the five cities. */
export function hostsByPort(cities: DeployCity[]): Map<number, string> {
  const map = new Map<number, string>();
  const set = (port: number, host: string) => {
    if (map.has(port)) throw new RelocationError(`two nodes of the topology share port ${port}`);
    map.set(port, host);
  };
  for (const c of cities) {
    const p = c.ports;
    for (const port of [p.orderer, p.ordererAdmin, p.ordererOperations]) set(port, c.hosts.orderer);
    for (const port of [p.peer, p.peerChaincode, p.peerOperations]) set(port, c.hosts.peer);
    set(p.chaincodeServer, c.hosts.chaincode);
    set(p.ca, c.hosts.ca);
    set(p.caOperations, c.hosts.ca);
    set(p.gateway, c.hosts.gateway);
  }
  return map;
}

/** The local addresses of a relocation. */
const localAddresses = (r: Relocation): Set<string> => new Set(r.addresses ?? [LOOPBACK_HOST]);

/** The local addresses the cities of a deployment view listen on (127.0.0.1, or their `--hosts` addresses). */
export function localAddressesOf(cities: DeployCity[]): string[] {
  return [...new Set(cities.map((c) => c.local.host))];
}

/** Relocates one string; `listen` turns a local address into the wildcard address instead of a host name. */
export function relocateString(value: string, r: Relocation, listen = false): string {
  const addresses = localAddresses(r);
  let out = value;
  for (const [from, to] of r.paths) out = out.split(from).join(to);
  for (const [from, to] of r.hosts) out = out.split(from).join(to);
  out = out.replace(/\b(\d{1,3}(?:\.\d{1,3}){3}):(\d+)/g, (whole, address: string, port: string) => {
    if (!addresses.has(address)) return whole;
    if (listen) return `0.0.0.0:${port}`;
    const host = r.hostOfPort.get(Number(port));
    if (!host) throw new RelocationError(`no node of the topology listens on port ${port} (in "${value}")`);
    return `${host}:${port}`;
  });
  if (listen && addresses.has(out)) out = '0.0.0.0';
  return out;
}

/** Relocates every string of a JSON-like value; a `{ Host: <local address>, Port }` pair gets the port owner's host. */
export function relocateValue<T>(value: T, r: Relocation): T {
  const addresses = localAddresses(r);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return relocateString(v, r);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) out[k] = walk(x);
      if (typeof o.Host === 'string' && addresses.has(o.Host) && typeof o.Port === 'number') {
        const host = r.hostOfPort.get(o.Port);
        if (!host) throw new RelocationError(`no node of the topology listens on port ${o.Port}`);
        out.Host = host;
      }
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * Throws when a relocated value still holds a loopback address, a development host name
 * (`*.jiaodong.local`, unless the relocation's real host names are those, as in the kit of the
 * `--hosts` network) or one of `localRoots`.
 */
export function assertRelocated(value: unknown, localRoots: string[], what: string, r?: Relocation): void {
  const text = JSON.stringify(value);
  const devNames = r?.hosts.some(([, to]) => to.endsWith(`.${NETWORK_DOMAIN}`)) ? [] : [`.${NETWORK_DOMAIN}`];
  const left = [LOOPBACK_HOST, ...devNames, ...localRoots].find((s) => text.includes(s));
  if (left) throw new RelocationError(`${what} still names ${left}`);
}
