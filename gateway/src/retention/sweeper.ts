import type { Logger } from 'pino';
import type { Clock } from '../lib/time.js';
import type { DocumentTables, StoredDocument } from '../store/documents.js';
import type { Store } from '../store/store.js';

const DAY_MS = 86_400_000;

/** The retention settings (`retention` of the gateway configuration). */
export interface RetentionSettings {
  /** Days a body is kept after issue; 0 keeps bodies for ever. */
  documentBodyDays: number;
  sweepIntervalMs: number;
}

/**
 * Removes document bodies past the retention period (数据留存): the signed
 * JWS — which carries the subject's identifier — and the request fingerprint
 * go; the id, type, pseudonym, content hash, anchor, proof and status stay.
 * A document is swept only once anchored, so its hash is on the ledger; its
 * holder's copy keeps verifying everywhere (the proof is still served).
 */
export class RetentionSweeper {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> = Promise.resolve(0);

  constructor(private readonly deps: { store: Store; tables: DocumentTables; clock: Clock; log: Logger; settings: RetentionSettings }) {}

  /** True when the document's body is past retention and may go. */
  #due(doc: StoredDocument, proofs: Set<string>, now: number): boolean {
    const days = this.deps.settings.documentBodyDays;
    if (days <= 0 || doc.jws === undefined) return false;
    const anchored = doc.anchor !== undefined || proofs.has(doc.id);
    return anchored && Date.parse(doc.issuedAt) + days * DAY_MS <= now;
  }

  /** Removes every body past retention now; returns how many were removed. */
  async sweep(): Promise<number> {
    const run = (async () => {
      const now = this.deps.clock();
      const { documents, proofs } = this.deps.tables;
      const proven = new Set<string>();
      for await (const key of proofs.keys()) proven.add(key);
      let removed = 0;
      const at = new Date(now).toISOString();
      for await (const [key, doc] of documents.entries()) {
        if (!this.#due(doc, proven, now)) continue;
        const { jws: _body, requestHash: _fingerprint, ...kept } = doc;
        await this.deps.store.write([documents.putOp(key, { ...kept, bodyRemovedAt: at })]);
        removed++;
      }
      if (removed) this.deps.log.info({ removed, days: this.deps.settings.documentBodyDays }, 'retention: document bodies removed');
      return removed;
    })();
    this.#running = run.catch(() => 0);
    return run;
  }

  /** Sweeps every `sweepIntervalMs` (and once now) when a retention period is set. */
  start(): void {
    if (this.deps.settings.documentBodyDays <= 0 || this.#timer) return;
    const tick = (): void =>
      void this.sweep().catch((err: unknown) => this.deps.log.warn({ err: (err as Error).message }, 'retention sweep failed'));
    tick();
    this.#timer = setInterval(tick, this.deps.settings.sweepIntervalMs);
    this.#timer.unref();
  }

  /** Stops sweeping and waits for a sweep in flight. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
