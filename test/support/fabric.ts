/**
 * Test support: Fabric Gateway client connections to the running local
 * network as any city's identity, through the one ledger client
 * (`@jcc/network/ledger`) and the network description it reads.
 */
import type { Contract, Gateway, Network } from '@hyperledger/fabric-gateway';
import type { CityId } from '@jcc/domain';
import { cityConnection, connect, readNetworkFile } from '@jcc/network/ledger';
import { until } from '@jcc/network';

export { fabricErrorText } from '@jcc/network/ledger';
export { eventually, until } from '@jcc/network';

/** An open connection of one city to its own peer. */
export interface CityConnection {
  city: CityId;
  gateway: Gateway;
  network: Network;
  /** The contract of the creditchain chaincode with this name. */
  contract(name: string): Contract;
  close(): void;
}

/** Connects as a city's application user (or admin) to that city's peer. */
export async function connectCity(city: CityId, user: 'app' | 'admin' = 'app'): Promise<CityConnection> {
  const description = await readNetworkFile();
  const { connection, identity } = cityConnection(description, city, user);
  const ledger = await connect(connection, identity, {
    deadlines: { evaluateMs: 10_000, endorseMs: 30_000, submitMs: 10_000, commitStatusMs: 60_000 },
  });
  const network = ledger.gateway.getNetwork(description.channel);
  return {
    city,
    gateway: ledger.gateway,
    network,
    contract: (name: string) => network.getContract(description.chaincode, name),
    close: () => ledger.close(),
  };
}

const utf8 = new TextDecoder();

/** Submits a transaction with one JSON argument and returns the parsed JSON result. */
export async function submitJson<T = Record<string, unknown>>(
  contract: Contract,
  name: string,
  input: unknown,
  endorsingOrganizations?: string[],
): Promise<T> {
  const result = await contract.submit(name, {
    arguments: [JSON.stringify(input)],
    ...(endorsingOrganizations ? { endorsingOrganizations } : {}),
  });
  return JSON.parse(utf8.decode(result)) as T;
}

/** Evaluates a query with one JSON argument and returns the parsed JSON result. */
export async function evaluateJson<T = Record<string, unknown>>(contract: Contract, name: string, input: unknown): Promise<T> {
  return JSON.parse(utf8.decode(await contract.evaluateTransaction(name, JSON.stringify(input)))) as T;
}

/**
 * Waits until `conn`'s peer has committed transaction `txId` (qscc
 * `GetTransactionByID`): peers commit a block at different moments, and a
 * read at another city's peer right after a commit may not see it yet.
 */
export async function committedAt(conn: CityConnection, txId: string, timeoutMs = 30_000): Promise<void> {
  await until(
    () => conn.network.getContract('qscc').evaluateTransaction('GetTransactionByID', conn.network.getName(), txId),
    () => true,
    { timeoutMs, what: `transaction ${txId} at ${conn.city}'s peer` },
  );
}
