/**
 * Test support: Fabric Gateway client connections to the running local
 * network as any city's application identity, read from `.runtime/network.json`.
 */
import { readFile } from 'node:fs/promises';
import { createPrivateKey } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import type { CityId } from '@jcc/domain';
import { readNetworkFile } from '@jcc/network';

/** An open connection of one city to its own peer. */
export interface CityConnection {
  city: CityId;
  gateway: Gateway;
  network: Network;
  client: grpc.Client;
  /** The contract of the creditchain chaincode with this name. */
  contract(name: string): Contract;
  close(): void;
}

/** Connects as a city's application user (or admin) to that city's peer. */
export async function connectCity(city: CityId, user: 'app' | 'admin' = 'app'): Promise<CityConnection> {
  const description = await readNetworkFile();
  const c = description.cities[city];
  const client = new grpc.Client(c.peer.endpoint, grpc.credentials.createSsl(await readFile(c.peer.tlsRootCertPath)), {
    'grpc.ssl_target_name_override': c.peer.hostAlias,
  });
  const gateway = connect({
    client,
    identity: { mspId: c.mspId, credentials: await readFile(c.users[user].certPath) },
    signer: signers.newPrivateKeySigner(createPrivateKey(await readFile(c.users[user].keyPath))),
    hash: hash.sha256,
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  const network = gateway.getNetwork(description.channel);
  return {
    city,
    gateway,
    network,
    client,
    contract: (name: string) => network.getContract(description.chaincode, name),
    close: () => {
      gateway.close();
      client.close();
    },
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

/** The error text Fabric returned for a refused transaction, including the peers' details. */
export function fabricErrorText(err: unknown): string {
  const e = err as { message?: string; details?: { message?: string }[] };
  return [e.message ?? String(err), ...(e.details ?? []).map((d) => d.message ?? '')].join(' | ');
}

/**
 * Retries a read until it succeeds: a transaction is reported committed by the
 * submitting city's peer, and the other peers commit the same block moments later.
 */
export async function eventually<T>(read: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
