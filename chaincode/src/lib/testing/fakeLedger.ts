import type { Context, Contract } from 'fabric-contract-api';
import { cityById, isCityId, sha256Hex, type ErrorCode } from '@jcc/domain';
import { fakeContext } from './fakeContext.js';
import { FakeChaincodeStub, type CapturedEvent } from './fakeStub.js';
import { FakeWorldState, type WorldSnapshot } from './fakeWorldState.js';

/**
 * A fake ledger for unit tests: a world state, a clock and a transaction
 * counter. Each {@link FakeLedger.invoke} runs one transaction on a fresh
 * stub, then commits its writes.
 *
 * Deliberately unlike Fabric, a transaction that throws is committed too:
 * the tests can then show that every refusal happens before the first write
 * (comparing snapshots before and after), rather than relying on Fabric to
 * discard the writes of a failed transaction.
 */

/** A transaction function: one JSON argument in, JSON text out. */
export type TransactionFunction = (ctx: Context, inputJson: string) => Promise<string>;

/** The names of a contract's transaction functions. */
export type TransactionName<C> = {
  [K in keyof C]: C[K] extends TransactionFunction ? K : never;
}[keyof C] &
  string;

/** What one transaction did. */
export interface Invocation {
  /** `contract:Transaction`, when run through {@link FakeLedger.call}. */
  transaction?: string;
  txId: string;
  mspId: string;
  /** Transaction timestamp as RFC 3339. */
  timestamp: string;
  /** Parsed JSON result, when the transaction succeeded. */
  result?: unknown;
  /** The raw JSON text returned. */
  resultText?: string;
  /** The error thrown, when it failed. */
  error?: Error & { code?: ErrorCode };
  /** Every event set, in order. */
  events: CapturedEvent[];
  /** Keys written (`null`: deleted). */
  writes: ReadonlyMap<string, Uint8Array | null>;
  /** Key-level endorsement policies set. */
  validationParameters: ReadonlyMap<string, Uint8Array>;
  /** Number of paginated queries run. */
  paginatedQueries: number;
}

/** Default start of the fake clock: 2026-11-26T00:00:00.000Z. */
export const FAKE_CLOCK_START = Date.UTC(2026, 10, 26, 0, 0, 0, 0);

/** A fake ledger shared by the transactions of one test. */
export class FakeLedger {
  readonly world = new FakeWorldState();
  /** Every transaction run, in order. */
  readonly history: Invocation[] = [];
  #clock: number;
  #txCount = 0;
  /** Milliseconds the clock moves forward before each transaction. */
  step = 1000;

  constructor(startMillis = FAKE_CLOCK_START) {
    this.#clock = startMillis;
  }

  /** The current time of the fake clock, milliseconds since the epoch. */
  get now(): number {
    return this.#clock;
  }

  /** Sets the clock (the next transaction happens `step` later). */
  setTime(isoOrMillis: string | number): void {
    this.#clock = typeof isoOrMillis === 'number' ? isoOrMillis : Date.parse(isoOrMillis);
  }

  /**
   * Runs one transaction as a member of `who` (a city id, or any MSP id)
   * and commits its writes.
   */
  async invoke(who: string, fn: (ctx: Context) => Promise<string>, transaction?: string): Promise<Invocation> {
    const mspId = isCityId(who) ? cityById(who).mspId : who;
    this.#clock += this.step;
    this.#txCount += 1;
    const txId = sha256Hex(`fake transaction ${this.#txCount}`);
    const stub = new FakeChaincodeStub(this.world, { txId, timestampMillis: this.#clock, mspId, channelId: 'jiaodong' });
    const invocation: Invocation = {
      transaction,
      txId,
      mspId,
      timestamp: new Date(this.#clock).toISOString(),
      events: stub.events,
      writes: stub.writes,
      validationParameters: stub.validationParameterWrites,
      paginatedQueries: 0,
    };
    try {
      const text = await fn(fakeContext(stub, mspId));
      invocation.resultText = text;
      invocation.result = JSON.parse(text);
    } catch (error) {
      invocation.error = error as Error & { code?: ErrorCode };
    }
    invocation.paginatedQueries = stub.paginatedQueries;
    this.world.apply(stub.writes, stub.validationParameterWrites);
    this.world.applyPrivate(stub.privateWrites);
    this.history.push(invocation);
    return invocation;
  }

  /** Runs `contract[name]` with `input` (serialised as JSON unless already a string) as a member of `who`. */
  call<C extends Contract>(who: string, contract: C, name: TransactionName<C>, input: unknown): Promise<Invocation> {
    const fn = contract[name] as unknown as TransactionFunction;
    const json = typeof input === 'string' ? input : JSON.stringify(input);
    return this.invoke(who, (ctx) => fn.call(contract, ctx, json), `${contract.getName()}:${name}`);
  }

  /** Like {@link FakeLedger.call}, but throws the transaction's error; returns its result. */
  async ok<T = Record<string, unknown>>(who: string, contract: Contract, name: string, input: unknown): Promise<T> {
    if (typeof (contract as unknown as Record<string, unknown>)[name] !== 'function')
      throw new Error(`${contract.getName()} has no transaction ${name}`);
    const invocation = await this.call(who, contract, name as never, input);
    if (invocation.error) throw invocation.error;
    return invocation.result as T;
  }

  /** A deep copy of the committed state. */
  snapshot(): WorldSnapshot {
    return this.world.snapshot();
  }
}
