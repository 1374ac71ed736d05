import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers } from '@hyperledger/fabric-gateway';
import { CHAINCODE, CHANNEL, type CityNodes } from './topology.js';
import { identityFiles } from './networkFile.js';
import { sleep } from './processes.js';

/**
 * Waits until the Fabric Gateway of a city's peer can plan an endorsement
 * across all five organisations: service discovery has learnt every peer and
 * that it runs the committed chaincode. It endorses a read-only transaction on
 * all five peers and never submits it, so the ledger is not touched.
 */
export async function waitForEndorsementAcrossCities(n: CityNodes, all: readonly CityNodes[], timeoutMs = 120_000): Promise<number> {
  const admin = await identityFiles(n.adminMspDir);
  const cert = await readFile(admin.certPath);
  const key = createPrivateKey(await readFile(admin.keyPath));
  const client = new grpc.Client(`127.0.0.1:${n.ports.peer}`, grpc.credentials.createSsl(await readFile(n.tlsCaCert)), {
    'grpc.ssl_target_name_override': n.peerHost,
  });
  const gateway = connect({
    client,
    identity: { mspId: n.city.mspId, credentials: cert },
    signer: signers.newPrivateKeySigner(key),
    hash: hash.sha256,
    endorseOptions: () => ({ deadline: Date.now() + 15_000 }),
  });
  const started = Date.now();
  try {
    const contract = gateway.getNetwork(CHANNEL).getContract(CHAINCODE, 'cities');
    for (;;) {
      try {
        await contract.newProposal('ListCities', { arguments: ['{}'], endorsingOrganizations: all.map((c) => c.city.mspId) }).endorse();
        return Date.now() - started;
      } catch (err) {
        if (Date.now() - started > timeoutMs)
          throw new Error(`endorsement across the five cities still fails after ${timeoutMs / 1000} s: ${String(err)}`);
        await sleep(1000);
      }
    }
  } finally {
    gateway.close();
    client.close();
  }
}
