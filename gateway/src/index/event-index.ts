import type { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { peer } from '@hyperledger/fabric-protos';
import type { Logger } from 'pino';
import {
  eventSealHash,
  FABRIC_TX_ID,
  isCityId,
  LEDGER_EVENTS,
  MAX_EVENT_SEALS,
  type CityId,
  type EvaluationChunkRecord,
} from '@jcc/domain';
import { LedgerRefusedError } from '../fabric/errors.js';
import type { Ledger } from '../fabric/ledger.js';
import type { KeyRecord } from '../fabric/records.js';
import { backoffDelay } from '../lib/backoff.js';
import { withLookahead } from '../lib/lookahead.js';
import { sleep } from '../lib/time.js';
import type { Store } from '../store/store.js';
import type { WriteOp } from '../store/table.js';
import { Progress, type BlockSummary } from './progress.js';
import { ensureListProjections } from './list-tables.js';
import { projectEvent, type LedgerEvent } from './projections.js';
import { clearIndex, eventKey, indexTables, type AuditEvent, type IndexCheckpoint, type IndexTables } from './tables.js';

const VALID = 0;
/** How many delivered events may have their seal check running ahead of the one being applied. */
const SEAL_LOOKAHEAD = 32;
const decoder = new TextDecoder();

/** Hooks the index calls. */
export interface IndexObserver {
  onEvent?(name: string): void;
  /** The writes one event caused, right after they were committed (for in-memory copies of index tables). */
  onApplied?(ops: readonly WriteOp[]): void;
  /** The ledger is not the one the index was built from (the network was re-created); the index was emptied. */
  onLedgerReset?(): void;
}

/**
 * Whether the event of transaction `txId`, with these payload bytes, is
 * `city`'s own: sealed by the city (`chaincode/src/lib/seal.ts`), which takes
 * the city's own peer. {@link ledgerEventSeals} asks this gateway's peer.
 */
export type EventSealCheck = (city: CityId, txId: string, payload: Uint8Array) => Promise<boolean>;

/**
 * The seal check against the genuine chaincode on this gateway's own peer
 * (`cities:GetEventSeals`): sealed when the hash the peer holds is the
 * SHA-256 of the SHA-256 of the payload. Checks asked in the same turn of the
 * event loop go in one query (up to `MAX_EVENT_SEALS`), so a burst of events
 * costs one round trip, not one each.
 */
export function ledgerEventSeals(ledger: Ledger): EventSealCheck {
  type Asked = { city: CityId; txId: string; payload: Uint8Array; resolve(sealed: boolean): void; reject(err: unknown): void };
  const waiting: Asked[] = [];
  let scheduled = false;
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const batch = waiting.splice(0, MAX_EVENT_SEALS);
      if (waiting.length > 0) schedule();
      ledger
        .evaluate<{ seals: { sealHash?: string }[] }>('cities:GetEventSeals', { events: batch.map(({ city, txId }) => ({ city, txId })) })
        .then(
          ({ seals }) => batch.forEach((a, i) => a.resolve(seals[i]?.sealHash === eventSealHash(a.payload))),
          (err: unknown) => batch.forEach((a) => a.reject(err)),
        );
    });
  };
  return (city, txId, payload) => {
    if (!FABRIC_TX_ID.test(txId)) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      waiting.push({ city, txId, payload, resolve, reject });
      schedule();
    });
  };
}

/**
 * The gateway's local index of ledger state, kept current from the
 * chaincode's events. Each event is applied in one atomic store write
 * together with the checkpoint (block and transaction of the event), so after
 * a restart the stream resumes right after the last applied event and no
 * event is applied twice or skipped.
 */
export class EventIndex {
  readonly tables: IndexTables;
  readonly progress: Progress;
  readonly #store: Store;
  readonly #ledger: Ledger;
  readonly #log: Logger;
  readonly #observer: IndexObserver;
  readonly #sealed: EventSealCheck;
  #checkpoint: IndexCheckpoint | undefined;
  #abort = new AbortController();
  #streams = new Set<CloseableAsyncIterable<unknown>>();
  #running: Promise<unknown>[] = [];
  #recent = new Map<string, number>();
  #waiters = new Map<string, Array<(applied: boolean) => void>>();
  #eventsConnected = false;
  #blocksConnected = false;
  /** Bumped when the index is emptied because the ledger was re-created. */
  #generation = 0;
  #blockStream: CloseableAsyncIterable<unknown> | undefined;

  private constructor(
    store: Store,
    ledger: Ledger,
    log: Logger,
    checkpoint: IndexCheckpoint | undefined,
    observer: IndexObserver,
    sealed: EventSealCheck,
  ) {
    this.#store = store;
    this.#sealed = sealed;
    this.#ledger = ledger;
    this.#log = log;
    this.#observer = observer;
    this.tables = indexTables(store);
    this.#checkpoint = checkpoint;
    this.progress = new Progress(
      checkpoint ? { blockNumber: BigInt(checkpoint.blockNumber), transactionId: checkpoint.transactionId } : undefined,
    );
  }

  /**
   * Opens the index (reading its checkpoint); call {@link start} to follow the
   * ledger. `sealed` tells a city's own events from ones others committed in
   * its name (unit tests pass a stand-in).
   */
  static async open(
    store: Store,
    ledger: Ledger,
    log: Logger,
    observer: IndexObserver = {},
    sealed: EventSealCheck = ledgerEventSeals(ledger),
  ): Promise<EventIndex> {
    const tables = indexTables(store);
    const built = (await tables.meta.get('checkpoint')) !== undefined;
    if (await ensureListProjections(store, built, () => clearIndex(store, tables)))
      log.warn('index: built without the current list projections; rebuilding it from the first block');
    const checkpoint = await tables.meta.get('checkpoint');
    return new EventIndex(store, ledger, log, checkpoint, observer, sealed);
  }

  /** The last applied event, if any. */
  get checkpoint(): IndexCheckpoint | undefined {
    return this.#checkpoint;
  }

  /** True when both streams are connected. */
  get connected(): boolean {
    return this.#eventsConnected && this.#blocksConnected;
  }

  /** True when the index holds every event the ledger holds (see {@link Progress}). */
  get caughtUp(): boolean {
    return this.progress.caughtUp;
  }

  /**
   * Starts following the ledger: checks that the ledger is the one the index
   * was built from (else empties the index), then follows the event stream and
   * the filtered-block stream, each reconnecting on failure.
   */
  start(): void {
    const signal = this.#abort.signal;
    this.#running.push(
      (async () => {
        for (let attempt = 1; !signal.aborted; attempt++) {
          try {
            await this.checkLedger();
            break;
          } catch (err) {
            this.#log.warn({ err: (err as Error).message }, 'index: cannot identify the ledger yet; retrying');
            await sleep(backoffDelay(attempt, { initialMs: 500, maxMs: 15_000 }), signal).catch(() => undefined);
          }
        }
        if (signal.aborted) return;
        await Promise.all([this.#followEvents(signal), this.#followBlocks(signal)]);
      })(),
    );
  }

  /**
   * Compares the ledger's identity with the one the index was built from.
   * When they differ (the network was re-created), empties the index so that
   * it is rebuilt from the new ledger's first block. Returns whether it did.
   */
  async checkLedger(): Promise<boolean> {
    const identity = await this.#ledger.ledgerIdentity();
    const known = await this.tables.ledger.get('ledger');
    if (known === identity) return false;
    if (known !== undefined || this.#checkpoint !== undefined) {
      this.#log.warn({ was: known, now: identity }, 'index: the ledger was re-created; rebuilding the index from its first block');
      await clearIndex(this.#store, this.tables);
      this.#checkpoint = undefined;
      this.progress.reset();
      this.#observer.onLedgerReset?.();
    }
    await this.tables.ledger.put('ledger', identity);
    return known !== undefined;
  }

  /** Stops following the ledger. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('index stopped'));
    for (const stream of this.#streams) stream.close();
    await Promise.allSettled(this.#running);
    for (const [, waiters] of this.#waiters) for (const w of waiters) w(false);
    this.#waiters.clear();
  }

  /**
   * Resolves `true` once the event of transaction `transactionId` is applied,
   * or `false` after `timeoutMs` (used to read one's own writes from the index).
   */
  waitForTransaction(transactionId: string, timeoutMs: number): Promise<boolean> {
    if (this.#recent.has(transactionId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const list = this.#waiters.get(transactionId) ?? [];
      const timer = setTimeout(() => {
        const current = this.#waiters.get(transactionId);
        if (current) {
          const rest = current.filter((w) => w !== done);
          if (rest.length) this.#waiters.set(transactionId, rest);
          else this.#waiters.delete(transactionId);
        }
        resolve(false);
      }, timeoutMs);
      const done = (applied: boolean): void => {
        clearTimeout(timer);
        resolve(applied);
      };
      list.push(done);
      this.#waiters.set(transactionId, list);
    });
  }

  /**
   * Applies one chaincode event (exposed for tests; the stream calls it). An
   * event that is not sealed by the city its payload names (others committed
   * it in the city's name, with a modified chaincode) changes nothing but the
   * checkpoint.
   */
  async apply(event: ChaincodeEvent, prepared: Promise<PreparedEvent> = this.#prepare(event)): Promise<void> {
    const { payload, sealed } = await prepared;
    const city = payload.city;
    if (!(isCityId(city) && sealed)) {
      this.#log.warn(
        { event: event.eventName, city, transactionId: event.transactionId },
        'index: an event not sealed by the city it names; ignored',
      );
      await this.#advance(event, [], payload);
      return;
    }
    const decoded: LedgerEvent = {
      name: event.eventName,
      blockNumber: Number(event.blockNumber),
      transactionId: event.transactionId,
      payload,
    };
    const ops = await projectEvent(this.tables, decoded, {
      trustedKey: (city, kid) => this.#trustedKey(city, kid),
      loadChunk: (city, chunkId) => this.#chunk(city, chunkId),
    });
    await this.#advance(event, ops, payload, city);
  }

  /**
   * Commits an event's writes with its checkpoint (and, for a sealed event,
   * its audit entry of the city `city`) in one store write.
   */
  async #advance(event: ChaincodeEvent, ops: WriteOp[], payload: Record<string, unknown>, city?: CityId): Promise<void> {
    const seq = (this.#checkpoint?.seq ?? 0) + 1;
    const checkpoint: IndexCheckpoint = { blockNumber: event.blockNumber.toString(), transactionId: event.transactionId, seq };
    if (city !== undefined) {
      const audit: AuditEvent = {
        seq,
        blockNumber: Number(event.blockNumber),
        transactionId: event.transactionId,
        name: event.eventName,
        city,
        payload: auditPayload(event.eventName, payload),
      };
      ops.push(this.tables.events.putOp(eventKey(seq), audit));
    }
    ops.push(this.tables.meta.putOp('checkpoint', checkpoint));
    await this.#store.write(ops);
    this.#observer.onApplied?.(ops);
    this.#checkpoint = checkpoint;
    this.progress.observeApplied({ blockNumber: event.blockNumber, transactionId: event.transactionId });
    if (city !== undefined) this.#observer.onEvent?.(event.eventName);
    this.#remember(event.transactionId);
  }

  /** An event's payload, and whether it is sealed by the city the payload names (see {@link EventSealCheck}). */
  async #prepare(event: ChaincodeEvent): Promise<PreparedEvent> {
    const payload = decodePayload(event);
    const city = payload.city;
    return { payload, sealed: isCityId(city) && (await this.#sealed(city, event.transactionId, event.payload)) };
  }

  /** A chunk of evaluations as this gateway's peer returns it; undefined for one the city did not seal. */
  async #chunk(city: CityId, chunkId: string): Promise<EvaluationChunkRecord | undefined> {
    try {
      return await this.#ledger.evaluate<EvaluationChunkRecord>('evaluations:GetEvaluationChunk', { city, chunkId });
    } catch (err) {
      if (err instanceof LedgerRefusedError && err.code === 'NOT_FOUND') {
        this.#log.warn({ city, chunkId }, 'index: an evaluation chunk event names a chunk the city did not seal; ignored');
        return undefined;
      }
      throw err;
    }
  }

  async #trustedKey(city: CityId, kid: string): Promise<KeyRecord | undefined> {
    try {
      return await this.#ledger.evaluate<KeyRecord>('cities:GetKey', { city, kid });
    } catch (err) {
      if (err instanceof LedgerRefusedError && (err.code === 'NOT_FOUND' || err.code === 'INVALID_ARGUMENT')) return undefined;
      throw err;
    }
  }

  #remember(transactionId: string): void {
    this.#recent.set(transactionId, Date.now());
    if (this.#recent.size > 20_000) {
      const oldest = this.#recent.keys().next().value;
      if (oldest !== undefined) this.#recent.delete(oldest);
    }
    const waiters = this.#waiters.get(transactionId);
    if (waiters) {
      this.#waiters.delete(transactionId);
      for (const w of waiters) w(true);
    }
  }

  async #followEvents(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      let stream: CloseableAsyncIterable<ChaincodeEvent> | undefined;
      try {
        if (attempt > 0 && (await this.checkLedger())) {
          this.#generation++;
          this.#blockStream?.close();
        }
        const cp = this.#checkpoint;
        stream = await this.#ledger.chaincodeEvents(
          cp
            ? { checkpoint: { getBlockNumber: () => BigInt(cp.blockNumber), getTransactionId: () => cp.transactionId } }
            : { startBlock: 0n },
        );
        this.#streams.add(stream);
        this.#eventsConnected = true;
        this.#log.info({ from: cp ? { block: cp.blockNumber, tx: cp.transactionId } : { block: 0 } }, 'index: following chaincode events');
        // The seal checks of the events already delivered run ahead of their application (one peer query
        // each): a rebuild from the first block is not one query's round trip per event.
        for await (const { item: event, prepared } of withLookahead(stream, (e) => this.#prepare(e), SEAL_LOOKAHEAD)) {
          attempt = 0;
          await this.apply(event, prepared);
        }
      } catch (err) {
        if (signal.aborted) break;
        this.#log.warn({ err: (err as Error).message }, 'index: chaincode event stream failed; reconnecting');
      } finally {
        this.#eventsConnected = false;
        if (stream) {
          stream.close();
          this.#streams.delete(stream);
        }
      }
      if (signal.aborted) break;
      await sleep(backoffDelay(++attempt, { initialMs: 500, maxMs: 15_000 }), signal).catch(() => undefined);
    }
  }

  async #followBlocks(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    let next: bigint | undefined;
    let generation = this.#generation;
    while (!signal.aborted) {
      let stream: CloseableAsyncIterable<peer.FilteredBlock> | undefined;
      try {
        if (generation !== this.#generation) {
          generation = this.#generation;
          next = undefined;
        }
        const height = await this.#ledger.chainHeight();
        this.progress.setTargetHeight(height);
        const start = next ?? (this.#checkpoint ? BigInt(this.#checkpoint.blockNumber) : 0n);
        stream = await this.#ledger.filteredBlocks(start);
        this.#streams.add(stream);
        this.#blockStream = stream;
        this.#blocksConnected = true;
        for await (const block of stream) {
          attempt = 0;
          if (generation !== this.#generation) break;
          const summary = summarise(block, this.#ledger.chaincodeName);
          this.progress.observeBlock(summary);
          next = summary.blockNumber + 1n;
        }
      } catch (err) {
        if (signal.aborted) break;
        this.#log.warn({ err: (err as Error).message }, 'index: block stream failed; reconnecting');
      } finally {
        this.#blocksConnected = false;
        if (stream) {
          stream.close();
          this.#streams.delete(stream);
        }
      }
      if (signal.aborted) break;
      await sleep(backoffDelay(++attempt, { initialMs: 500, maxMs: 15_000 }), signal).catch(() => undefined);
    }
  }
}

/** An event's decoded payload and the outcome of its seal check. */
interface PreparedEvent {
  payload: Record<string, unknown>;
  sealed: boolean;
}

/**
 * What the audit trail keeps of an event's payload: all of it, but for the
 * rows of an evaluation chunk (thousands, indexed in the chunk tables; its
 * `count` says how many).
 */
function auditPayload(name: string, payload: Record<string, unknown>): Record<string, unknown> {
  if (name !== LEDGER_EVENTS.evaluationChunkRecorded || !('rows' in payload)) return payload;
  const { rows: _rows, ...rest } = payload;
  return rest;
}

/** An event's payload as JSON (an empty object when it is not JSON). */
function decodePayload(event: ChaincodeEvent): Record<string, unknown> {
  try {
    const payload = JSON.parse(decoder.decode(event.payload)) as unknown;
    return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The facts {@link Progress} needs from a filtered block: valid transactions carrying one of our chaincode's events. */
export function summarise(block: peer.FilteredBlock, chaincodeName: string): BlockSummary {
  const eventTransactions: string[] = [];
  for (const tx of block.getFilteredTransactionsList()) {
    if (tx.getTxValidationCode() !== VALID) continue;
    const actions = tx.getTransactionActions()?.getChaincodeActionsList() ?? [];
    const emitted = actions.some((a) => {
      const event = a.getChaincodeEvent();
      return event !== undefined && event.getChaincodeId() === chaincodeName && event.getEventName() !== '';
    });
    if (emitted) eventTransactions.push(tx.getTxid());
  }
  return { blockNumber: BigInt(block.getNumber()), eventTransactions };
}
