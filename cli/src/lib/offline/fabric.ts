import { createPrivateKey } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { parseCodedMessage, type CityId } from '@jcc/domain';
import { CliError, ExitCode } from '../exit.js';
import type { AnchorRecord, AnchorTransaction, BatchRecord, KeyRecord, LedgerReader, RecognitionAnswer, StatusRecord } from './ledger.js';
import { resolveNetworkPath, type CityConnection, type NetworkDescription } from './network.js';
import { decodeBlockNumber, decodeProcessedTransaction } from './qscc.js';

/** Time limits of the ledger connection, in milliseconds. */
export interface FabricTimeouts {
  /** To establish the gRPC connection to a peer. */
  connectMs: number;
  /** For one evaluated transaction. */
  evaluateMs: number;
}

/** Reads a PEM file, or the single file in a folder (a Fabric MSP `keystore/`). */
async function readPemFile(path: string): Promise<Buffer> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const files = (await readdir(path)).filter((f) => !f.startsWith('.'));
    const first = files[0];
    if (!first) throw new Error(`${path} is an empty folder`);
    return readFile(join(path, first));
  }
  return readFile(path);
}

/** All the text of a Fabric Gateway error: its message and each endorser's detail. */
export function fabricErrorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const details = (err as Error & { details?: { message?: string }[] }).details;
  const parts = [err.message, ...(Array.isArray(details) ? details.map((d) => d.message ?? '') : [])];
  return parts.filter(Boolean).join('; ');
}

/** The `CODE: text` a chaincode error carries, looked for in the error and its details. */
function codedError(err: unknown): ReturnType<typeof parseCodedMessage> {
  const details = (err as { details?: { message?: string }[] } | undefined)?.details;
  for (const text of [
    ...(Array.isArray(details) ? details.map((d) => d.message ?? '') : []),
    err instanceof Error ? err.message : String(err),
  ]) {
    const coded = parseCodedMessage(text);
    if (coded) return coded;
  }
  return undefined;
}

function waitForReady(client: grpc.Client, ms: number): Promise<void> {
  return new Promise((resolve, reject) => client.waitForReady(Date.now() + ms, (err) => (err ? reject(err) : resolve())));
}

/**
 * Read-only ledger access through the Fabric Gateway of one city's peer, as
 * that city's application identity (evaluate only: nothing is submitted).
 */
export class FabricLedger implements LedgerReader {
  /** The city whose peer and identity are used. */
  readonly city: CityId;
  readonly #client: grpc.Client;
  readonly #gateway: Gateway;
  readonly #network: Network;
  readonly #chaincode: string;
  readonly #channel: string;

  private constructor(city: CityId, client: grpc.Client, gateway: Gateway, description: NetworkDescription) {
    this.city = city;
    this.#client = client;
    this.#gateway = gateway;
    this.#network = gateway.getNetwork(description.channel);
    this.#chaincode = description.chaincode;
    this.#channel = description.channel;
  }

  /** Connects to one city's peer. */
  static async connectTo(
    networkFile: string,
    description: NetworkDescription,
    city: CityId,
    timeouts: FabricTimeouts,
  ): Promise<FabricLedger> {
    const entry = description.cities[city] as CityConnection;
    const user = entry.users.app ?? entry.users.admin;
    if (!user) throw new Error(`no user for ${city}`);
    const tlsRootCert = await readPemFile(resolveNetworkPath(networkFile, entry.peer.tlsRootCertPath));
    const certificate = await readPemFile(resolveNetworkPath(networkFile, user.certPath));
    const privateKey = createPrivateKey(await readPemFile(resolveNetworkPath(networkFile, user.keyPath)));
    const options: grpc.ClientOptions = entry.peer.hostAlias
      ? { 'grpc.ssl_target_name_override': entry.peer.hostAlias, 'grpc.default_authority': entry.peer.hostAlias }
      : {};
    const client = new grpc.Client(entry.peer.endpoint, grpc.credentials.createSsl(tlsRootCert), options);
    try {
      await waitForReady(client, timeouts.connectMs);
    } catch (err) {
      client.close();
      throw err;
    }
    const gateway = connect({
      client,
      identity: { mspId: entry.mspId, credentials: certificate },
      signer: signers.newPrivateKeySigner(privateKey),
      hash: hash.sha256,
      evaluateOptions: () => ({ deadline: Date.now() + timeouts.evaluateMs }),
    });
    return new FabricLedger(city, client, gateway, description);
  }

  /**
   * Connects to the first city in `order` whose peer answers.
   *
   * @throws CliError (unavailable) naming each city tried when none answers.
   */
  static async connectAny(
    networkFile: string,
    description: NetworkDescription,
    order: CityId[],
    timeouts: FabricTimeouts,
  ): Promise<FabricLedger> {
    const failures: string[] = [];
    for (const city of order) {
      try {
        return await FabricLedger.connectTo(networkFile, description, city, timeouts);
      } catch (err) {
        failures.push(`${city} (${description.cities[city]?.peer.endpoint}): ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    throw new CliError(ExitCode.UNAVAILABLE, `cannot reach any peer of the network: ${failures.join('; ')}`);
  }

  /** Closes the gateway and the gRPC connection. */
  close(): void {
    this.#gateway.close();
    this.#client.close();
  }

  #contract(name: string): Contract {
    return this.#network.getContract(this.#chaincode, name);
  }

  /** Evaluates `contract:fn(input)`; `undefined` when the chaincode answers NOT_FOUND. */
  async #evaluate<T>(contract: string, fn: string, input: unknown): Promise<T | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#contract(contract).evaluateTransaction(fn, JSON.stringify(input));
    } catch (err) {
      if (codedError(err)?.code === 'NOT_FOUND') return undefined;
      throw new CliError(
        ExitCode.UNAVAILABLE,
        `ledger query ${contract}:${fn} through ${this.city}'s peer failed: ${fabricErrorText(err)}`,
      );
    }
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
  }

  getKey(city: CityId, kid: string): Promise<KeyRecord | undefined> {
    return this.#evaluate<KeyRecord>('cities', 'GetKey', { city, kid });
  }

  getDocument(city: CityId, id: string): Promise<{ anchor?: AnchorRecord; status?: StatusRecord } | undefined> {
    return this.#evaluate('reports', 'GetDocument', { city, id });
  }

  getBatch(city: CityId, batchId: string): Promise<BatchRecord | undefined> {
    return this.#evaluate<BatchRecord>('reports', 'GetBatch', { city, batchId });
  }

  async isRecognised(input: {
    issuerCity: CityId;
    documentId: string;
    docType: string;
    recognisingCity: CityId;
    at: string;
  }): Promise<RecognitionAnswer> {
    return (await this.#evaluate<RecognitionAnswer>('recognition', 'IsRecognised', input)) ?? { recognised: false, basis: 'none' };
  }

  async getTransaction(txId: string): Promise<AnchorTransaction | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#network.getContract('qscc').evaluateTransaction('GetTransactionByID', this.#channel, txId);
    } catch (err) {
      if (/not found|no such transaction|ENTRY_NOT_FOUND/i.test(fabricErrorText(err))) return undefined;
      throw new CliError(ExitCode.UNAVAILABLE, `ledger query qscc:GetTransactionByID failed: ${fabricErrorText(err)}`);
    }
    return decodeProcessedTransaction(bytes);
  }

  async getBlockNumber(txId: string): Promise<number | undefined> {
    try {
      const bytes = await this.#network.getContract('qscc').evaluateTransaction('GetBlockByTxID', this.#channel, txId);
      return decodeBlockNumber(bytes);
    } catch {
      return undefined;
    }
  }
}
