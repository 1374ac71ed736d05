/**
 * Tracks whether the index has applied every chaincode event the ledger
 * holds. Chaincode event streams only deliver blocks that carry events, so
 * the index cannot tell from them alone that it is current. A second,
 * lightweight stream of filtered blocks (transaction ids, validation codes
 * and event names, no payloads) tells which is the newest valid transaction
 * carrying one of our events; the index is caught up once it has applied
 * that transaction.
 */

/** A transaction position: block number and transaction id. */
export interface TxPosition {
  blockNumber: bigint;
  transactionId: string;
}

/** The filtered-block facts {@link Progress} needs about one block. */
export interface BlockSummary {
  blockNumber: bigint;
  /** Ids of the valid transactions in the block that emitted an event of our chaincode, in block order. */
  eventTransactions: string[];
}

/** See the module comment. */
export class Progress {
  /** Ledger height seen when tracking started; the filtered stream must reach it before anything is known. */
  #targetHeight: bigint | undefined;
  /** Highest block the filtered stream delivered. */
  #seenBlock: bigint | undefined;
  /** Newest valid transaction with one of our events. */
  #lastEventTx: TxPosition | undefined;
  /** Last event the index applied. */
  #applied: TxPosition | undefined;

  constructor(applied?: TxPosition) {
    this.#applied = applied;
  }

  /** Forgets everything (the index was emptied). */
  reset(): void {
    this.#targetHeight = undefined;
    this.#seenBlock = undefined;
    this.#lastEventTx = undefined;
    this.#applied = undefined;
  }

  /** The ledger height when tracking (re)started. */
  setTargetHeight(height: bigint): void {
    this.#targetHeight = height;
  }

  /** Records a block from the filtered stream. */
  observeBlock(block: BlockSummary): void {
    if (this.#seenBlock === undefined || block.blockNumber > this.#seenBlock) this.#seenBlock = block.blockNumber;
    const last = block.eventTransactions.at(-1);
    if (last !== undefined && (this.#lastEventTx === undefined || block.blockNumber >= this.#lastEventTx.blockNumber)) {
      this.#lastEventTx = { blockNumber: block.blockNumber, transactionId: last };
    }
  }

  /** Records an event the index applied. */
  observeApplied(position: TxPosition): void {
    this.#applied = position;
  }

  /** The last applied event. */
  get applied(): TxPosition | undefined {
    return this.#applied;
  }

  /** The highest block the filtered stream delivered. */
  get seenBlock(): bigint | undefined {
    return this.#seenBlock;
  }

  /** True once the filtered stream has reached the height seen at start. */
  get synced(): boolean {
    if (this.#targetHeight === undefined) return false;
    if (this.#targetHeight === 0n) return true;
    return this.#seenBlock !== undefined && this.#seenBlock >= this.#targetHeight - 1n;
  }

  /** True when the index holds every event the ledger (as far as the filtered stream has seen) holds. */
  get caughtUp(): boolean {
    if (!this.synced) return false;
    const last = this.#lastEventTx;
    if (last === undefined) return true;
    const applied = this.#applied;
    if (applied === undefined) return false;
    if (applied.blockNumber > last.blockNumber) return true;
    return applied.blockNumber === last.blockNumber && applied.transactionId === last.transactionId;
  }

  /** Blocks between the newest event on the ledger and the last one applied (0 when caught up). */
  get lagBlocks(): number {
    if (this.caughtUp) return 0;
    const last = this.#lastEventTx?.blockNumber ?? this.#seenBlock ?? 0n;
    const applied = this.#applied?.blockNumber ?? -1n;
    return Math.max(Number(last - applied), 1);
  }
}
