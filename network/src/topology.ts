import { join } from 'node:path';
import { CITIES, type City, type CityId } from '@jcc/domain';
import { activeHostsLayout, type HostsLayout } from './hostsLayout.js';
import { runtimePaths } from './paths.js';

/** Name of the consortium's channel. */
export const CHANNEL = 'jiaodong';
/** Name of the chaincode. */
export const CHAINCODE = 'creditchain';
/** DNS suffix of the development network's hosts (reached on the city's address; names serve TLS only). */
export const NETWORK_DOMAIN = 'jiaodong.local';

/** TCP ports of one city's nodes. */
export interface CityPorts {
  orderer: number;
  ordererAdmin: number;
  ordererOperations: number;
  peer: number;
  peerChaincode: number;
  peerOperations: number;
  chaincodeServer: number;
}

/** Where one city's nodes listen and where their crypto material lives. */
export interface CityNodes {
  city: City;
  /** e.g. `qingdao.jiaodong.local` */
  orgDomain: string;
  ports: CityPorts;
  /**
   * The address every node of the city listens on and is reached at: `127.0.0.1` on the
   * single-host network, the city's own address on the bridge in the `--hosts` mode.
   */
  host: string;
  /** The network namespace the city's processes run in (`--hosts` mode only). */
  netns?: string;
  peerHost: string;
  ordererHost: string;
  chaincodeHost: string;
  /** cryptogen output folder of the organisation. */
  orgDir: string;
  peerDir: string;
  ordererDir: string;
  chaincodeServerDir: string;
  tlsCaCert: string;
  adminMspDir: string;
  appMspDir: string;
}

/** The ports of the city at position `index` (0..4) of the city table: 7050 + 100·index and neighbours. */
export function cityPorts(index: number): CityPorts {
  const base = 100 * index;
  return {
    orderer: 7050 + base,
    peer: 7051 + base,
    peerChaincode: 7052 + base,
    ordererAdmin: 7053 + base,
    chaincodeServer: 7055 + base,
    ordererOperations: 8443 + base,
    peerOperations: 9443 + base,
  };
}

/** The address of the single-host network: every node of every city on loopback. */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * The nodes of one city. `hosts` is the layout of the `--hosts` mode, `null` for the
 * single-host network; by default the layout of the network in the runtime folder.
 */
export function cityNodes(id: CityId, hosts: HostsLayout | null = activeHostsLayout()): CityNodes {
  const index = CITIES.findIndex((c) => c.id === id);
  const city = CITIES[index];
  if (!city) throw new RangeError(`unknown city: ${id}`);
  const orgDomain = `${id}.${NETWORK_DOMAIN}`;
  const orgDir = join(runtimePaths.crypto, 'peerOrganizations', orgDomain);
  const peerHost = `peer0.${orgDomain}`;
  const ordererHost = `orderer0.${orgDomain}`;
  const chaincodeHost = `ccaas0.${orgDomain}`;
  const placed = hosts?.cities[id];
  return {
    city,
    orgDomain,
    ports: cityPorts(index),
    host: placed?.address ?? LOOPBACK_HOST,
    ...(placed ? { netns: placed.netns } : {}),
    peerHost,
    ordererHost,
    chaincodeHost,
    orgDir,
    peerDir: join(orgDir, 'peers', peerHost),
    ordererDir: join(orgDir, 'peers', ordererHost),
    chaincodeServerDir: join(orgDir, 'peers', chaincodeHost),
    tlsCaCert: join(orgDir, 'tlsca', `tlsca.${orgDomain}-cert.pem`),
    adminMspDir: join(orgDir, 'users', `Admin@${orgDomain}`, 'msp'),
    appMspDir: join(orgDir, 'users', `User1@${orgDomain}`, 'msp'),
  };
}

/** The nodes of all five cities, in the city table's order (layout as in {@link cityNodes}). */
export function allCityNodes(hosts: HostsLayout | null = activeHostsLayout()): CityNodes[] {
  return CITIES.map((c) => cityNodes(c.id, hosts));
}

/** Consensus of the ordering service: Raft (crash fault tolerant) or SmartBFT (Byzantine fault tolerant). */
export type Consensus = 'raft' | 'bft';

/** TCP ports of one city's certificate authority (Fabric CA). */
export interface CityCaPorts {
  /** The CA's API (enrol, register), TLS: 7054 + 100·index, the one gap in {@link cityPorts}. */
  ca: number;
  /** The CA's operations endpoint (health, metrics): 9444 + 100·index, beside the peer's. */
  caOperations: number;
}

/** The ports of the certificate authority of the city at position `index` (0..4) of the city table. */
export function cityCaPorts(index: number): CityCaPorts {
  return { ca: 7054 + 100 * index, caOperations: 9444 + 100 * index };
}

/** The URL of a city's gateway on the local network: `http://<city address>:<8101 + i>`. */
export function gatewayUrl(id: CityId, hosts: HostsLayout | null = activeHostsLayout()): string {
  const n = cityNodes(id, hosts);
  return `http://${n.host}:${n.city.gatewayPort}`;
}
