import type { Logger } from 'pino';
import { isJwsJsonSerialization, type DocumentAnchorRecord } from '@jcc/domain';
import { LedgerRefusedError } from '../fabric/errors.js';
import { documentHashSm3 } from '../issue/document-jws.js';
import type { Ledger } from '../fabric/ledger.js';
import { backoffDelay } from '../lib/backoff.js';
import { isoTimestamp } from '../lib/time.js';
import type { DocumentTables, OutboxEntry } from '../store/documents.js';
import type { Store } from '../store/store.js';
import { Worker } from './worker.js';

/** Settings of the {@link SingleAnchorer}. */
export interface SingleAnchorerOptions {
  concurrency: number;
  pollMs: number;
  /** Refusals (other than CONFLICT) tolerated before a document is marked failed. */
  maxRefusals?: number;
}

/** Hooks for metrics. */
export interface AnchorObserver {
  onAnchored?(mode: 'single' | 'batch', documents: number, seconds: number): void;
  onFailure?(mode: 'single' | 'batch'): void;
}

/**
 * Anchors documents one transaction each (`reports:AnchorDocument`) from the
 * durable single-mode outbox. An entry leaves the outbox only in the same
 * atomic write that records the anchor on the document, so a crash at any
 * point leaves it to be submitted again; the chaincode answers a repeated
 * anchor (same id, same hash) with the existing record, so nothing is
 * anchored twice.
 */
export class SingleAnchorer extends Worker {
  readonly #store: Store;
  readonly #tables: DocumentTables;
  readonly #ledger: Ledger;
  readonly #options: SingleAnchorerOptions;
  readonly #observer: AnchorObserver;
  readonly #inFlight = new Set<string>();
  readonly #pending = new Set<Promise<void>>();
  readonly #notBefore = new Map<string, { at: number; attempts: number; refusals: number }>();

  constructor(
    store: Store,
    tables: DocumentTables,
    ledger: Ledger,
    log: Logger,
    options: SingleAnchorerOptions,
    observer: AnchorObserver = {},
  ) {
    super('single-anchorer', log, options.pollMs);
    this.#store = store;
    this.#tables = tables;
    this.#ledger = ledger;
    this.#options = options;
    this.#observer = observer;
  }

  /** Entries being submitted right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  protected async tick(): Promise<number | undefined> {
    const free = this.#options.concurrency - this.#inFlight.size;
    if (free <= 0) return undefined;
    const now = Date.now();
    let soonest: number | undefined;
    let started = 0;
    for await (const [key, entry] of this.#tables.outbox.single.entries()) {
      if (started >= free) break;
      if (this.#inFlight.has(key)) continue;
      const wait = this.#notBefore.get(key);
      if (wait && wait.at > now) {
        soonest = Math.min(soonest ?? Infinity, wait.at - now);
        continue;
      }
      // The loop reads a snapshot: an entry anchored and removed while it ran must not be launched again.
      if ((await this.#tables.outbox.single.get(key)) === undefined) continue;
      if (this.#inFlight.has(key)) continue;
      this.#inFlight.add(key);
      started++;
      const work: Promise<void> = this.#anchor(key, entry)
        .catch((err: unknown) => this.log.error({ err: (err as Error).message }, 'anchoring crashed'))
        .finally(() => {
          this.#inFlight.delete(key);
          this.#pending.delete(work);
          this.wake();
        });
      this.#pending.add(work);
    }
    return soonest;
  }

  /** Stops taking entries and waits (up to `timeoutMs`) for the submissions in flight. */
  override async stop(timeoutMs = 10_000): Promise<void> {
    await super.stop();
    await Promise.race([Promise.allSettled([...this.#pending]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  async #anchor(key: string, entry: OutboxEntry): Promise<void> {
    const doc = await this.#tables.documents.get(entry.docId);
    if (!doc) {
      this.log.error({ docId: entry.docId }, 'outbox entry without a document; dropping it');
      await this.#tables.outbox.single.del(key);
      return;
    }
    const started = performance.now();
    try {
      const committed = await this.#ledger.submit<DocumentAnchorRecord>('reports:AnchorDocument', {
        id: doc.id,
        docType: doc.type,
        subjectPseudonym: doc.subjectPseudonym,
        contentHash: doc.contentHash,
        // A document in the JSON serialization (SM2-configured city) also gets its SM3 content hash anchored.
        ...(doc.jws !== undefined && isJwsJsonSerialization(doc.jws) ? { contentHashSm3: documentHashSm3(doc.jws) } : {}),
        issuedAt: doc.issuedAt,
        validUntil: doc.validUntil,
        kid: doc.kid,
      });
      const record = committed.result;
      // An earlier submission may have committed already (crash before we recorded it): use its transaction.
      const blockNumber = record.txId === committed.transactionId ? Number(committed.blockNumber) : await this.#blockOf(record.txId);
      await this.#store.write([
        this.#tables.documents.putOp(doc.id, {
          ...doc,
          anchor: { mode: 'single', txId: record.txId, blockNumber, anchoredAt: record.anchoredAt },
        }),
        this.#tables.outbox.single.delOp(key),
      ]);
      this.#notBefore.delete(key);
      this.#observer.onAnchored?.('single', 1, (performance.now() - started) / 1000);
      this.log.debug({ docId: doc.id, txId: record.txId }, 'anchored');
    } catch (err) {
      this.#observer.onFailure?.('single');
      const previous = this.#notBefore.get(key) ?? { at: 0, attempts: 0, refusals: 0 };
      const refused = err instanceof LedgerRefusedError;
      const attempts = previous.attempts + 1;
      const refusals = previous.refusals + (refused ? 1 : 0);
      if (refused && (err.code === 'CONFLICT' || refusals >= (this.#options.maxRefusals ?? 20))) {
        this.log.error({ docId: doc.id, code: err.code, detail: err.detail }, 'the ledger refused the anchor for good');
        await this.#store.write([
          this.#tables.documents.putOp(doc.id, { ...doc, failure: { code: err.code, detail: err.detail, at: isoTimestamp(Date.now()) } }),
          this.#tables.outbox.single.delOp(key),
        ]);
        this.#notBefore.delete(key);
        return;
      }
      const delay = backoffDelay(attempts, { initialMs: 500, maxMs: 60_000 });
      this.#notBefore.set(key, { at: Date.now() + delay, attempts, refusals });
      this.log.warn({ docId: doc.id, attempts, retryInMs: delay, err: (err as Error).message }, 'anchoring failed; will retry');
    }
  }

  async #blockOf(txId: string): Promise<number | null> {
    const block = await this.#ledger.blockNumberOfTransaction(txId);
    return block === undefined ? null : Number(block);
  }
}
