import type { Logger } from 'pino';
import { LEAF_SCHEME, MerkleBatch, type BatchRecord, type CityId } from '@jcc/domain';
import type { Ledger } from '../fabric/ledger.js';
import { backoffDelay } from '../lib/backoff.js';
import { isoTimestamp } from '../lib/time.js';
import type { DocumentTables, OutboxEntry, StoredProof } from '../store/documents.js';
import type { Store } from '../store/store.js';
import type { Table } from '../store/table.js';
import { batchIdFor } from '../verify/proof-schema.js';
import type { AnchorObserver } from './single-anchorer.js';
import { Worker } from './worker.js';

/** Settings of the {@link BatchAnchorer}. */
export interface BatchAnchorerOptions {
  city: CityId;
  /** Anchor a batch once this many documents wait... */
  maxSize: number;
  /** ...or once the oldest has waited this long (ms). */
  maxAgeMs: number;
  /** Batches submitted at once. */
  concurrency: number;
  pollMs: number;
}

/**
 * A batch as planned: its leaves are fixed before anything is submitted, so
 * that after a crash the very same batch (same id, same root) is submitted
 * again rather than a new one containing the same documents.
 */
export interface BatchPlan {
  batchId: string;
  root: string;
  leafCount: number;
  /** Document ids, in leaf order. */
  docIds: string[];
  /** SHA-256 of each document's JWS, hex, in leaf order. */
  hashes: string[];
  firstIssuedAt: string;
  lastIssuedAt: string;
  plannedAt: string;
  /** planned → anchored (root committed) → done (every proof stored). */
  state: 'planned' | 'anchored' | 'done';
  txId?: string;
  blockNumber?: number | null;
  anchoredAt?: string;
}

const PROOF_WRITE_CHUNK = 2000;

/**
 * Anchors documents in Merkle batches from the durable batch-mode outbox.
 * A batch is cut when `maxSize` documents wait or the oldest has waited
 * `maxAgeMs`. Cutting writes the plan and removes its entries from the outbox
 * in one atomic write; the root is then anchored (`reports:AnchorBatch`,
 * idempotent on the ledger) and every document's inclusion proof is stored.
 * Plans not yet done are resumed after a restart.
 */
export class BatchAnchorer extends Worker {
  readonly #store: Store;
  readonly #tables: DocumentTables;
  readonly #plans: Table<BatchPlan>;
  readonly #ledger: Ledger;
  readonly #options: BatchAnchorerOptions;
  readonly #observer: AnchorObserver;
  readonly #active = new Map<string, Promise<void>>();
  readonly #retry = new Map<string, { at: number; attempts: number }>();
  /** The trees of batches cut by this process, kept until their proofs are stored (a resumed plan rebuilds its tree). */
  readonly #trees = new Map<string, MerkleBatch>();
  #waiting = 0;

  constructor(
    store: Store,
    tables: DocumentTables,
    ledger: Ledger,
    log: Logger,
    options: BatchAnchorerOptions,
    observer: AnchorObserver = {},
  ) {
    super('batch-anchorer', log, Math.min(options.pollMs, Math.max(10, Math.floor(options.maxAgeMs / 2))));
    this.#store = store;
    this.#tables = tables;
    this.#plans = store.table('batches');
    this.#ledger = ledger;
    this.#options = options;
    this.#observer = observer;
  }

  /** The plans table (for status and tests). */
  get plans(): Table<BatchPlan> {
    return this.#plans;
  }

  /** Counts the waiting entries, then starts. */
  async init(): Promise<void> {
    this.#waiting = await this.#tables.outbox.batch.count();
  }

  /** Tells the anchorer a document was queued (wakes it when a batch is full). */
  queued(count = 1): void {
    this.#waiting += count;
    if (this.#waiting >= this.#options.maxSize) this.wake();
  }

  /** Documents waiting in the outbox. */
  get waiting(): number {
    return this.#waiting;
  }

  override async stop(timeoutMs = 10_000): Promise<void> {
    await super.stop();
    await Promise.race([Promise.allSettled([...this.#active.values()]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  protected async tick(): Promise<number | undefined> {
    let soonest: number | undefined;
    // Resume or continue plans that are not done.
    for await (const [batchId, plan] of this.#plans.entries()) {
      if (plan.state === 'done' || this.#active.has(batchId)) continue;
      const retry = this.#retry.get(batchId);
      if (retry && retry.at > Date.now()) {
        soonest = Math.min(soonest ?? Infinity, retry.at - Date.now());
        continue;
      }
      if (this.#active.size >= this.#options.concurrency) break;
      // The loop reads a snapshot: a plan finished while it ran must not be launched again.
      const current = await this.#plans.get(batchId);
      if (!current || current.state === 'done' || this.#active.has(batchId)) continue;
      this.#launch(current);
    }
    // Cut new batches while there is room.
    while (this.#active.size < this.#options.concurrency) {
      const due = await this.#due();
      if (due === true) {
        const plan = await this.#cut();
        if (!plan) break;
        this.#launch(plan);
      } else {
        if (due !== false) soonest = Math.min(soonest ?? Infinity, due);
        break;
      }
    }
    return soonest;
  }

  /** `true` when a batch should be cut now, else ms until the oldest entry is due, or `false` when the outbox is empty. */
  async #due(): Promise<true | number | false> {
    if (this.#waiting >= this.#options.maxSize) return true;
    const first = await this.#tables.outbox.batch.list({ limit: 1 });
    const oldest = first[0]?.[1];
    if (!oldest) {
      this.#waiting = 0;
      return false;
    }
    const age = Date.now() - oldest.enqueuedAt;
    return age >= this.#options.maxAgeMs ? true : this.#options.maxAgeMs - age;
  }

  async #cut(): Promise<BatchPlan | undefined> {
    const entries = await this.#tables.outbox.batch.list({ limit: this.#options.maxSize });
    if (entries.length === 0) return undefined;
    const leaves = entries.map(([, e]) => e);
    const tree = new MerkleBatch(leaves.map((e) => Buffer.from(e.contentHash, 'hex')));
    const issued = leaves.map((e) => e.issuedAt).sort();
    const plan: BatchPlan = {
      batchId: batchIdFor(this.#options.city, tree.rootHex),
      root: tree.rootHex,
      leafCount: tree.size,
      docIds: leaves.map((e: OutboxEntry) => e.docId),
      hashes: leaves.map((e) => e.contentHash),
      firstIssuedAt: issued[0] as string,
      lastIssuedAt: issued[issued.length - 1] as string,
      plannedAt: isoTimestamp(Date.now()),
      state: 'planned',
    };
    await this.#store.write([this.#plans.putOp(plan.batchId, plan), ...entries.map(([key]) => this.#tables.outbox.batch.delOp(key))]);
    this.#trees.set(plan.batchId, tree);
    this.#waiting = Math.max(0, this.#waiting - entries.length);
    this.log.debug({ batchId: plan.batchId, leaves: plan.leafCount }, 'batch cut');
    return plan;
  }

  #launch(plan: BatchPlan): void {
    const work = this.#complete(plan)
      .catch((err: unknown) => {
        const attempts = (this.#retry.get(plan.batchId)?.attempts ?? 0) + 1;
        const delay = backoffDelay(attempts, { initialMs: 500, maxMs: 60_000 });
        this.#retry.set(plan.batchId, { at: Date.now() + delay, attempts });
        this.#observer.onFailure?.('batch');
        this.log.warn(
          { batchId: plan.batchId, attempts, retryInMs: delay, err: (err as Error).message },
          'batch anchoring failed; will retry',
        );
      })
      .finally(() => {
        this.#active.delete(plan.batchId);
        this.wake();
      });
    this.#active.set(plan.batchId, work);
  }

  async #complete(initial: BatchPlan): Promise<void> {
    const started = performance.now();
    let plan = initial;
    if (plan.state === 'planned') {
      const committed = await this.#ledger.submit<BatchRecord>('reports:AnchorBatch', {
        batchId: plan.batchId,
        root: plan.root,
        leafCount: plan.leafCount,
        leafScheme: LEAF_SCHEME,
        firstIssuedAt: plan.firstIssuedAt,
        lastIssuedAt: plan.lastIssuedAt,
      });
      const record = committed.result;
      const blockNumber =
        record.txId === committed.transactionId
          ? Number(committed.blockNumber)
          : ((await this.#ledger.blockNumberOfTransaction(record.txId)) ?? null);
      plan = {
        ...plan,
        state: 'anchored',
        txId: record.txId,
        blockNumber: blockNumber === null ? null : Number(blockNumber),
        anchoredAt: record.anchoredAt,
      };
      await this.#plans.put(plan.batchId, plan);
    }
    if (plan.state === 'anchored') {
      const tree = this.#trees.get(plan.batchId) ?? new MerkleBatch(plan.hashes.map((h) => Buffer.from(h, 'hex')));
      if (tree.rootHex !== plan.root) throw new Error(`batch ${plan.batchId}: the stored leaves do not give the planned root`);
      for (let start = 0; start < plan.leafCount; start += PROOF_WRITE_CHUNK) {
        const ops = [];
        for (let i = start; i < Math.min(plan.leafCount, start + PROOF_WRITE_CHUNK); i++) {
          const proof: StoredProof = {
            ...tree.proof(i),
            batchId: plan.batchId,
            txId: plan.txId as string,
            blockNumber: plan.blockNumber ?? null,
          };
          ops.push(this.#tables.proofs.putOp(plan.docIds[i] as string, proof));
        }
        await this.#store.write(ops);
      }
      await this.#plans.put(plan.batchId, { ...plan, state: 'done' });
      this.#trees.delete(plan.batchId);
      this.#retry.delete(plan.batchId);
      this.#observer.onAnchored?.('batch', plan.leafCount, (performance.now() - started) / 1000);
      this.log.info({ batchId: plan.batchId, leaves: plan.leafCount, txId: plan.txId }, 'batch anchored');
    }
  }
}
