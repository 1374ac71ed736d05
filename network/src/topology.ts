import { join } from 'node:path';
import { CITIES, type City, type CityId } from '@jcc/domain';
import { runtimePaths } from './paths.js';

/** Name of the consortium's channel. */
export const CHANNEL = 'jiaodong';
/** Name of the chaincode. */
export const CHAINCODE = 'creditchain';
/** DNS suffix of the development network's hosts (reached on 127.0.0.1; names serve TLS only). */
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

/** The nodes of one city. */
export function cityNodes(id: CityId): CityNodes {
  const index = CITIES.findIndex((c) => c.id === id);
  const city = CITIES[index];
  if (!city) throw new RangeError(`unknown city: ${id}`);
  const orgDomain = `${id}.${NETWORK_DOMAIN}`;
  const orgDir = join(runtimePaths.crypto, 'peerOrganizations', orgDomain);
  const peerHost = `peer0.${orgDomain}`;
  const ordererHost = `orderer0.${orgDomain}`;
  const chaincodeHost = `ccaas0.${orgDomain}`;
  return {
    city,
    orgDomain,
    ports: cityPorts(index),
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

/** The nodes of all five cities, in the city table's order. */
export function allCityNodes(): CityNodes[] {
  return CITIES.map((c) => cityNodes(c.id));
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
