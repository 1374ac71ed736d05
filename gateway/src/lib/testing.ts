import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { ChaincodeEvent, Checkpoint, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { peer } from '@hyperledger/fabric-protos';
import { CodedError, type ErrorCode } from '@jcc/domain';
import { LedgerRefusedError } from '../fabric/errors.js';
import { checkLedgerInput, type Committed, type Ledger, type TransactionName } from '../fabric/ledger.js';
import { Store } from '../store/store.js';

/**
 * Helpers for the unit tests of the pure parts. The HTTP tests in
 * test/gateway/ run against the real network, never against these.
 */

/** A logger that writes nothing. */
export const silentLog: Logger = pino({ level: 'silent' });

/** A fresh store in a temporary folder; `cleanup` closes and deletes it. */
export async function tempStore(): Promise<{ store: Store; dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'jcc-gw-test-'));
  const store = await Store.open(dir);
  return {
    store,
    dir,
    async cleanup() {
      if (store.isOpen) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A stand-in for the index's event seal check that takes every event as
 * sealed by the city it names (unit tests of projections; the seal check
 * itself is tested with {@link ScriptedLedger} and on the real network).
 */
export const everyEventSealed = async (): Promise<boolean> => true;

/** A scripted answer of {@link ScriptedLedger}: a result, or an error to throw. */
export type Script = (input: Record<string, unknown>, call: number) => unknown;

/**
 * A stand-in ledger for unit tests of the anchorers and bulk upload: checks
 * inputs with the chaincode's schemas, records every call, and answers from
 * per-transaction scripts.
 */
export class ScriptedLedger implements Ledger {
  readonly chaincodeName = 'creditchain';
  readonly calls: Array<{ transaction: string; input: Record<string, unknown>; kind: 'evaluate' | 'submit' }> = [];
  readonly scripts = new Map<string, Script>();
  #tx = 0;
  block = 10n;

  script(transaction: TransactionName, answer: Script): this {
    this.scripts.set(transaction, answer);
    return this;
  }

  #answer(transaction: TransactionName, input: object, kind: 'evaluate' | 'submit'): unknown {
    const checked = checkLedgerInput(transaction, input) as Record<string, unknown>;
    this.calls.push({ transaction, input: checked, kind });
    const script = this.scripts.get(transaction);
    if (!script) throw new Error(`no script for ${transaction}`);
    const n = this.calls.filter((c) => c.transaction === transaction).length;
    const answer = script(checked, n);
    if (answer instanceof Error) throw answer;
    return answer;
  }

  async evaluate<T>(transaction: TransactionName, input: object): Promise<T> {
    return this.#answer(transaction, input, 'evaluate') as T;
  }

  async submit<T>(transaction: TransactionName, input: object): Promise<Committed<T>> {
    const transactionId = `tx${++this.#tx}`;
    const result = this.#answer(transaction, input, 'submit');
    this.block++;
    const value = typeof result === 'function' ? (result as (txId: string) => unknown)(transactionId) : result;
    return { result: value as T, transactionId, blockNumber: this.block };
  }

  async chainHeight(): Promise<bigint> {
    return this.block + 1n;
  }

  identity = 'ledger-1';

  async ledgerIdentity(): Promise<string> {
    return this.identity;
  }

  async blockNumberOfTransaction(): Promise<bigint | undefined> {
    return 7n;
  }

  chaincodeEvents(_from: { checkpoint?: Checkpoint; startBlock?: bigint }): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    throw new Error('no event stream in unit tests');
  }

  filteredBlocks(): Promise<CloseableAsyncIterable<peer.FilteredBlock>> {
    throw new Error('no block stream in unit tests');
  }
}

/** The refusal the chaincode would send with `code`. */
export function refusal(transaction: string, code: ErrorCode, detail: string): LedgerRefusedError {
  return new LedgerRefusedError(transaction, code, detail, { cause: new CodedError(code, detail) });
}

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 5000, stepMs = 20): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error('condition not met in time');
}
