import { createHash } from 'node:crypto';
import { status as grpcStatus } from '@grpc/grpc-js';
import { common, type peer } from '@hyperledger/fabric-protos';
import {
  CommitStatusError,
  StatusCode,
  type ChaincodeEvent,
  type Checkpoint,
  type CloseableAsyncIterable,
  type Network,
  type Status,
  type SubmittedTransaction,
  type Transaction,
} from '@hyperledger/fabric-gateway';
import { LEDGER_INPUTS, parseLedgerInput } from '@jcc/domain';
import { submitCatchingUp, type CatchUpOptions } from './catch-up.js';
import { LedgerCommitError, LedgerUnavailableError, toLedgerError, validationCodeName } from './errors.js';

/** The chaincode's contracts. */
export const CONTRACTS = ['cities', 'reports', 'evaluations', 'listEntries', 'agencies', 'recognition', 'identities', 'accessLog'] as const;
/** One of the chaincode's contracts. */
export type ContractName = (typeof CONTRACTS)[number];
/** A transaction, written `contract:Transaction` (e.g. `reports:AnchorDocument`). */
export type TransactionName = `${ContractName}:${string}`;

/** What a committed transaction returned, and where it landed. */
export interface Committed<T> {
  result: T;
  transactionId: string;
  blockNumber: bigint;
}

/** Called after every ledger call, for metrics. */
export type LedgerObserver = (call: {
  transaction: string;
  kind: 'evaluate' | 'submit';
  seconds: number;
  outcome: 'ok' | 'refused' | 'failed';
}) => void;

/**
 * The ledger as the gateway uses it: JSON in, JSON out, typed errors.
 * Implemented over the Fabric Gateway by {@link FabricLedger}.
 */
export interface Ledger {
  /** Runs a query on the city's peer. */
  evaluate<T>(transaction: TransactionName, input: object): Promise<T>;
  /**
   * Endorses, orders and waits for the commit of a transaction. A `NOT_FOUND`
   * refusal is answered only once the city's peer has caught up with the
   * blocks other cities committed (bounded; see docs/consistency.md).
   */
  submit<T>(transaction: TransactionName, input: object): Promise<Committed<T>>;
  /** Number of blocks in the channel's ledger on the city's peer. */
  chainHeight(): Promise<bigint>;
  /**
   * An identifier of the channel's ledger: SHA-256 of the genesis block's
   * header. It changes when the network is re-created, which tells the
   * gateway its index belongs to a ledger that no longer exists.
   */
  ledgerIdentity(): Promise<string>;
  /** Number of the block holding a transaction, or `undefined` when the peer does not know it. */
  blockNumberOfTransaction(transactionId: string): Promise<bigint | undefined>;
  /** The chaincode's events, from a checkpoint (after its transaction) or a block. */
  chaincodeEvents(from: { checkpoint?: Checkpoint; startBlock?: bigint }): Promise<CloseableAsyncIterable<ChaincodeEvent>>;
  /** Filtered blocks (transaction ids, validation codes, event names) from a block. */
  filteredBlocks(startBlock: bigint): Promise<CloseableAsyncIterable<peer.FilteredBlock>>;
  /** The chaincode name (for matching events). */
  readonly chaincodeName: string;
}

const decoder = new TextDecoder();

/**
 * How the commit of a submitted transaction is waited for. While no commit
 * status came, the same signed envelope is sent to the ordering service again
 * every `resendAfterMs`: an orderer that accepted a transaction and died
 * before cutting it into a block (a Raft leader killed) loses it, and without
 * a resend its caller would wait the whole `deadlineMs` for nothing. A resend
 * cannot commit twice: it has the same transaction id, so a second copy
 * ordered is invalidated as `DUPLICATE_TXID` and the first one stands.
 */
export interface CommitWait {
  resendAfterMs: number;
  /** Longest wait for the commit in all. */
  deadlineMs: number;
}

/** Resend after 15 s without a commit status; give up after 120 s (the connection's commit-status deadline). */
export const DEFAULT_COMMIT_WAIT: CommitWait = { resendAfterMs: 15_000, deadlineMs: 120_000 };

/**
 * Checks a transaction's input with the chaincode's own schema
 * (`LEDGER_INPUTS` of `@jcc/domain`) and returns the parsed form (timestamps
 * normalised, defaults applied), so a bad input is refused before it costs a
 * round trip.
 *
 * @throws CodedError `INVALID_ARGUMENT` naming each offending field.
 */
export function checkLedgerInput(transaction: TransactionName, input: object): object {
  const at = transaction.indexOf(':');
  const contract = LEDGER_INPUTS[transaction.slice(0, at) as ContractName] as
    Record<string, Parameters<typeof parseLedgerInput>[0]> | undefined;
  const schema = contract?.[transaction.slice(at + 1)];
  if (!schema) throw new RangeError(`unknown transaction ${transaction}`);
  return parseLedgerInput(schema, input) as object;
}

/** Parses a chaincode's JSON answer; an empty answer is `undefined`. */
export function parseResult<T>(bytes: Uint8Array): T {
  if (bytes.length === 0) return undefined as T;
  return JSON.parse(decoder.decode(bytes)) as T;
}

/** {@link Ledger} over a Fabric Gateway network. */
export class FabricLedger implements Ledger {
  #chaincodeName: string;
  #network: Network;
  readonly #observer: LedgerObserver | undefined;
  readonly #catchUp: CatchUpOptions;
  readonly #commitWait: CommitWait;
  readonly #onResend: ((transaction: string) => void) | undefined;

  /**
   * @param options.catchUp How long a write refused `NOT_FOUND` waits for the
   *   peer to catch up (default: not at all).
   * @param options.commitWait How a submitted transaction's commit is waited for ({@link DEFAULT_COMMIT_WAIT}).
   * @param options.onResend Called each time a transaction's envelope is sent again (for metrics).
   */
  constructor(
    network: Network,
    chaincodeName: string,
    observer?: LedgerObserver,
    options: { catchUp?: CatchUpOptions; commitWait?: CommitWait; onResend?: (transaction: string) => void } = {},
  ) {
    this.#network = network;
    this.#chaincodeName = chaincodeName;
    this.#observer = observer;
    this.#catchUp = options.catchUp ?? { timeoutMs: 0 };
    this.#commitWait = options.commitWait ?? DEFAULT_COMMIT_WAIT;
    this.#onResend = options.onResend;
  }

  get chaincodeName(): string {
    return this.#chaincodeName;
  }

  /**
   * Switches to another network connection (after the local network was
   * re-created with new certificates). Calls in flight finish on the old one;
   * event streams reconnect on the new one when the old one fails.
   */
  useNetwork(network: Network, chaincodeName: string): void {
    this.#network = network;
    this.#chaincodeName = chaincodeName;
  }

  #contract(transaction: TransactionName): { contract: ReturnType<Network['getContract']>; name: string } {
    const at = transaction.indexOf(':');
    return { contract: this.#network.getContract(this.#chaincodeName, transaction.slice(0, at)), name: transaction.slice(at + 1) };
  }

  async evaluate<T>(transaction: TransactionName, input: object): Promise<T> {
    const { contract, name } = this.#contract(transaction);
    const checked = checkLedgerInput(transaction, input);
    const started = performance.now();
    try {
      const bytes = await contract.evaluate(name, { arguments: [JSON.stringify(checked)] });
      this.#observe(transaction, 'evaluate', started, 'ok');
      return parseResult<T>(bytes);
    } catch (err) {
      const error = toLedgerError(transaction, err);
      this.#observe(transaction, 'evaluate', started, error.name === 'LedgerRefusedError' ? 'refused' : 'failed');
      throw error;
    }
  }

  async submit<T>(transaction: TransactionName, input: object): Promise<Committed<T>> {
    const checked = checkLedgerInput(transaction, input);
    return submitCatchingUp(
      () => this.#submitOnce<T>(transaction, checked),
      () => this.chainHeight(),
      this.#catchUp,
    );
  }

  async #submitOnce<T>(transaction: TransactionName, checked: object): Promise<Committed<T>> {
    const { contract, name } = this.#contract(transaction);
    const started = performance.now();
    try {
      const endorsed = await contract.newProposal(name, { arguments: [JSON.stringify(checked)] }).endorse();
      const submitted = await endorsed.submit();
      const status = await this.#commitStatus(transaction, endorsed, submitted);
      if (!status.successful) throw new LedgerCommitError(transaction, validationCodeName(status.code), status.transactionId);
      this.#observe(transaction, 'submit', started, 'ok');
      return { result: parseResult<T>(submitted.getResult()), transactionId: status.transactionId, blockNumber: status.blockNumber };
    } catch (err) {
      const error = toLedgerError(transaction, err);
      this.#observe(transaction, 'submit', started, error.name === 'LedgerRefusedError' ? 'refused' : 'failed');
      throw error;
    }
  }

  /** The commit status of a submitted transaction, sending its envelope again while none comes (see {@link CommitWait}). */
  async #commitStatus(name: TransactionName, transaction: Transaction, submitted: SubmittedTransaction): Promise<Status> {
    const until = Date.now() + this.#commitWait.deadlineMs;
    let resending: Promise<void> | undefined;
    let copies = 1;
    for (;;) {
      const round = Math.max(1, Math.min(this.#commitWait.resendAfterMs, until - Date.now()));
      try {
        // The status is asked by transaction id: whichever copy commits, this answers for it.
        const status = await submitted.getStatus({ deadline: Date.now() + round });
        // A copy ordered after the first one is the duplicate; the peer answers for the first one when asked again.
        if (copies > 1 && status.code === StatusCode.DUPLICATE_TXID) return await submitted.getStatus({ deadline: until });
        return status;
      } catch (err) {
        if (!(err instanceof CommitStatusError && err.code === grpcStatus.DEADLINE_EXCEEDED) || Date.now() >= until) throw err;
      }
      // Sent again without waiting for the send: an ordering service that lost its quorum may hold a send until its
      // deadline, and the status is watched meanwhile (it comes as soon as any copy commits).
      if (!resending) {
        copies += 1;
        resending = transaction
          .submit()
          .then(
            () => this.#onResend?.(name),
            () => undefined, // refused (no leader yet): sent again next round
          )
          .finally(() => {
            resending = undefined;
          });
      }
    }
  }

  async chainHeight(): Promise<bigint> {
    try {
      const bytes = await this.#network.getContract('qscc').evaluateTransaction('GetChainInfo', this.#network.getName());
      return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
    } catch (err) {
      throw new LedgerUnavailableError('qscc:GetChainInfo', (err as Error).message, { cause: err });
    }
  }

  async ledgerIdentity(): Promise<string> {
    try {
      const bytes = await this.#network.getContract('qscc').evaluateTransaction('GetBlockByNumber', this.#network.getName(), '0');
      const header = common.Block.deserializeBinary(bytes).getHeader();
      if (!header) throw new Error('the genesis block has no header');
      return createHash('sha256').update(header.serializeBinary()).digest('hex');
    } catch (err) {
      throw new LedgerUnavailableError('qscc:GetBlockByNumber', (err as Error).message, { cause: err });
    }
  }

  async blockNumberOfTransaction(transactionId: string): Promise<bigint | undefined> {
    try {
      const bytes = await this.#network.getContract('qscc').evaluateTransaction('GetBlockByTxID', this.#network.getName(), transactionId);
      const header = common.Block.deserializeBinary(bytes).getHeader();
      return header ? BigInt(header.getNumber()) : undefined;
    } catch {
      return undefined;
    }
  }

  chaincodeEvents(from: { checkpoint?: Checkpoint; startBlock?: bigint }): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    const options: { checkpoint?: Checkpoint; startBlock?: bigint } = {};
    if (from.checkpoint) options.checkpoint = from.checkpoint;
    else if (from.startBlock !== undefined) options.startBlock = from.startBlock;
    return this.#network.getChaincodeEvents(this.chaincodeName, options);
  }

  filteredBlocks(startBlock: bigint): Promise<CloseableAsyncIterable<peer.FilteredBlock>> {
    return this.#network.getFilteredBlockEvents({ startBlock });
  }

  #observe(transaction: string, kind: 'evaluate' | 'submit', started: number, outcome: 'ok' | 'refused' | 'failed'): void {
    this.#observer?.({ transaction, kind, seconds: (performance.now() - started) / 1000, outcome });
  }
}
