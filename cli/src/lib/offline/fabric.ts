import type { Contract, Network } from '@hyperledger/fabric-gateway';
import type { CityId } from '@jcc/domain';
import { connect, fabricErrorText, LedgerRefusedError, toLedgerError, type LedgerConnection } from '@jcc/network/ledger';
import { CliError, ExitCode } from '../exit.js';
import type { AnchorRecord, AnchorTransaction, BatchRecord, KeyRecord, LedgerReader, RecognitionAnswer, StatusRecord } from './ledger.js';
import type { NetworkDescription } from './network.js';
import { decodeBlockNumber, decodeProcessedTransaction } from './qscc.js';

/** Time limits of the ledger connection, in milliseconds. */
export interface FabricTimeouts {
  /** To establish the gRPC connection to a peer. */
  connectMs: number;
  /** For one evaluated transaction. */
  evaluateMs: number;
}

/**
 * Read-only ledger access through the Fabric Gateway of one city's peer, as
 * that city's application identity (evaluate only: nothing is submitted).
 */
export class FabricLedger implements LedgerReader {
  /** The city whose peer and identity are used. */
  readonly city: CityId;
  readonly #connection: LedgerConnection;
  readonly #network: Network;
  readonly #chaincode: string;
  readonly #channel: string;

  private constructor(city: CityId, connection: LedgerConnection, description: NetworkDescription) {
    this.city = city;
    this.#connection = connection;
    this.#network = connection.gateway.getNetwork(description.channel);
    this.#chaincode = description.chaincode;
    this.#channel = description.channel;
  }

  /**
   * Connects to one city's peer as its application user (else its admin),
   * through the one ledger client.
   *
   * @param _networkFile the file the description was read from (its paths are already resolved).
   */
  static async connectTo(
    _networkFile: string,
    description: NetworkDescription,
    city: CityId,
    timeouts: FabricTimeouts,
  ): Promise<FabricLedger> {
    const entry = description.cities[city];
    if (!entry) throw new Error(`the network description has no city ${city}`);
    const user = entry.users.app ?? entry.users.admin ?? Object.values(entry.users)[0];
    if (!user) throw new Error(`no user for ${city}`);
    const connection = await connect(entry, user, {
      readyTimeoutMs: timeouts.connectMs,
      deadlines: { evaluateMs: timeouts.evaluateMs },
    });
    return new FabricLedger(city, connection, description);
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
    this.#connection.close();
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
      const error = toLedgerError(`${contract}:${fn}`, err);
      if (error instanceof LedgerRefusedError && error.code === 'NOT_FOUND') return undefined;
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
