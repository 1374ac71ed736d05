import { CHAINCODE, CHANNEL, type CityNodes } from './topology.js';
import { identityFiles } from './networkFile.js';
import { connect } from './ledger/connect.js';
import { eventually } from './polling.js';

/**
 * Waits until the Fabric Gateway of a city's peer can plan an endorsement
 * across all five organisations: service discovery has learnt every peer and
 * that it runs the committed chaincode. It endorses a read-only transaction on
 * all five peers and never submits it, so the ledger is not touched.
 * Returns the milliseconds waited.
 */
export async function waitForEndorsementAcrossCities(n: CityNodes, all: readonly CityNodes[], timeoutMs = 120_000): Promise<number> {
  const connection = await connect(
    {
      mspId: n.city.mspId,
      peer: { endpoint: `${n.host}:${n.ports.peer}`, hostAlias: n.peerHost, tlsRootCertPath: n.tlsCaCert },
      users: {},
    },
    await identityFiles(n.adminMspDir),
    { deadlines: { endorseMs: 15_000 } },
  );
  const started = Date.now();
  try {
    const contract = connection.gateway.getNetwork(CHANNEL).getContract(CHAINCODE, 'cities');
    await eventually(
      () => contract.newProposal('ListCities', { arguments: ['{}'], endorsingOrganizations: all.map((c) => c.city.mspId) }).endorse(),
      { timeoutMs, intervalMs: 1000, what: 'endorsement across the five cities' },
    );
    return Date.now() - started;
  } finally {
    connection.close();
  }
}
