import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CityId } from '@jcc/domain';
import { runtimePaths } from './paths.js';
import { allCityNodes, CHAINCODE, CHANNEL, type Consensus } from './topology.js';

/** Paths of an identity's certificate and private key. */
export interface IdentityFiles {
  certPath: string;
  keyPath: string;
}

/** How one city's applications reach its peer, and as whom. */
export interface CityConnection {
  mspId: string;
  peer: { endpoint: string; hostAlias: string; tlsRootCertPath: string };
  orderer: { endpoint: string; hostAlias: string; tlsRootCertPath: string };
  users: { admin: IdentityFiles; app: IdentityFiles };
}

/**
 * The description of the running local network written to
 * `.runtime/network.json`, read by gateways, the CLI and the tests.
 */
export interface NetworkDescription {
  channel: string;
  chaincode: string;
  consensus: Consensus;
  cities: Record<CityId, CityConnection>;
}

/** The certificate and private key files of an MSP folder (cryptogen layout: one of each). */
export async function identityFiles(mspDir: string): Promise<IdentityFiles> {
  const certs = await readdir(join(mspDir, 'signcerts'));
  const keys = await readdir(join(mspDir, 'keystore'));
  if (!certs[0] || !keys[0]) throw new Error(`incomplete MSP folder ${mspDir}`);
  return { certPath: join(mspDir, 'signcerts', certs[0]), keyPath: join(mspDir, 'keystore', keys[0]) };
}

/** Builds the description from the generated crypto material. */
export async function describeNetwork(consensus: Consensus): Promise<NetworkDescription> {
  const cities = {} as Record<CityId, CityConnection>;
  for (const n of allCityNodes()) {
    cities[n.city.id] = {
      mspId: n.city.mspId,
      peer: { endpoint: `127.0.0.1:${n.ports.peer}`, hostAlias: n.peerHost, tlsRootCertPath: n.tlsCaCert },
      orderer: { endpoint: `127.0.0.1:${n.ports.orderer}`, hostAlias: n.ordererHost, tlsRootCertPath: n.tlsCaCert },
      users: { admin: await identityFiles(n.adminMspDir), app: await identityFiles(n.appMspDir) },
    };
  }
  return { channel: CHANNEL, chaincode: CHAINCODE, consensus, cities };
}

/** Writes `.runtime/network.json`. */
export async function writeNetworkFile(description: NetworkDescription): Promise<void> {
  await writeFile(runtimePaths.networkFile, JSON.stringify(description, null, 2) + '\n');
}

/** Reads the network description (path from `JCC_NETWORK_FILE`, default `.runtime/network.json`). */
export async function readNetworkFile(path = process.env.JCC_NETWORK_FILE ?? runtimePaths.networkFile): Promise<NetworkDescription> {
  return JSON.parse(await readFile(path, 'utf8')) as NetworkDescription;
}
