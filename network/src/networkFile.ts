import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CityId } from '@jcc/domain';
import type { CityConnection, IdentityFiles, NetworkFile } from './ledger/networkFile.js';
import { runtimePaths } from './paths.js';
import { allCityNodes, CHAINCODE, CHANNEL, type Consensus } from './topology.js';

/**
 * The description of the running local network that `network:up` writes to
 * `network.json` in the runtime folder; its schema and reader are in the
 * ledger client (`./ledger/networkFile.ts`).
 */
export interface NetworkDescription extends NetworkFile {
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
      peer: { endpoint: `${n.host}:${n.ports.peer}`, hostAlias: n.peerHost, tlsRootCertPath: n.tlsCaCert },
      orderer: { endpoint: `${n.host}:${n.ports.orderer}`, hostAlias: n.ordererHost, tlsRootCertPath: n.tlsCaCert },
      users: { admin: await identityFiles(n.adminMspDir), app: await identityFiles(n.appMspDir) },
    };
  }
  return { channel: CHANNEL, chaincode: CHAINCODE, consensus, cities };
}

/** Writes `network.json` in the runtime folder. */
export async function writeNetworkFile(description: NetworkDescription): Promise<void> {
  await writeFile(runtimePaths.networkFile, JSON.stringify(description, null, 2) + '\n');
}
