import { isAgreementInForceAt, type CityId } from '@jcc/domain';
import type { EventIndex } from '../index/event-index.js';
import type { BatchRecord, KeyRecord, RecognitionVerdict } from '../fabric/records.js';
import type { DocumentFacts, LedgerView, RecognitionQuestion, WithBlock } from './ledger-view.js';
import type { MemoryTables } from './memory-tables.js';

/** Counts of where {@link IndexView} answers came from. */
export interface ViewObserver {
  onLookup?(source: 'index' | 'peer', kind: string): void;
}

/** What {@link IndexView} needs to know of the index it reads: whether it is current, and the height it reflects. */
export interface IndexState {
  /** True when the index holds every event the ledger holds. */
  readonly caughtUp: boolean;
  /** Number of blocks the index reflects (the next block's number), or null when it cannot tell. */
  readonly height: number | null;
}

/** The {@link IndexState} of an event index. */
export function indexState(index: EventIndex): IndexState {
  return {
    get caughtUp() {
      return index.caughtUp;
    },
    get height() {
      const seen = index.progress.seenBlock;
      const applied = index.progress.applied?.blockNumber;
      if (seen === undefined && applied === undefined) return null;
      const top = seen === undefined ? applied! : applied === undefined || seen >= applied ? seen : applied;
      return Number(top) + 1;
    },
  };
}

/**
 * {@link LedgerView} over the event index's tables held in memory
 * ({@link MemoryTables}, kept current by the index). When the index is behind
 * the ledger, or lacks the record asked for, the answer comes from `fallback`
 * (the peer in the gateway; a verification worker hands the request back).
 * An adapter of the verification core's port: it reads facts, the core judges them.
 */
export class IndexView implements LedgerView {
  readonly source = 'index' as const;
  readonly #memory: MemoryTables;
  readonly #state: IndexState;
  readonly #fallback: LedgerView;
  readonly #observer: ViewObserver;

  constructor(memory: MemoryTables, state: IndexState, fallback: LedgerView, observer: ViewObserver = {}) {
    this.#memory = memory;
    this.#state = state;
    this.#fallback = fallback;
    this.#observer = observer;
  }

  #fromIndex(kind: string): boolean {
    const current = this.#state.caughtUp;
    if (!current) this.#observer.onLookup?.('peer', kind);
    return current;
  }

  #missing(kind: string): void {
    this.#observer.onLookup?.('peer', kind);
  }

  async key(city: CityId, kid: string): Promise<KeyRecord | undefined> {
    if (this.#fromIndex('key')) {
      const record = this.#memory.key(city, kid);
      if (record) {
        this.#observer.onLookup?.('index', 'key');
        const { blockNumber: _b, ...key } = record;
        return key as KeyRecord;
      }
      this.#missing('key');
    }
    return this.#fallback.key(city, kid);
  }

  async height(): Promise<number | null> {
    const height = this.#state.height;
    if (this.#state.caughtUp && height !== null) return height;
    return this.#fallback.height();
  }

  async document(city: CityId, id: string, options: { expectAnchor?: boolean } = {}): Promise<DocumentFacts | undefined> {
    if (this.#fromIndex('document')) {
      const anchor = this.#memory.anchor(city, id);
      const status = this.#memory.status(city, id);
      if (anchor || status || options.expectAnchor === false) {
        this.#observer.onLookup?.('index', 'document');
        if (!anchor && !status) return undefined;
        const facts: DocumentFacts = {};
        if (anchor) facts.anchor = anchor;
        if (status) {
          const { blockNumber: _b, ...record } = status;
          facts.status = record;
        }
        return facts;
      }
      this.#missing('document');
    }
    return this.#fallback.document(city, id, options);
  }

  async batch(city: CityId, batchId: string): Promise<WithBlock<BatchRecord> | undefined> {
    if (this.#fromIndex('batch')) {
      const record = this.#memory.batch(city, batchId);
      if (record) {
        this.#observer.onLookup?.('index', 'batch');
        return record;
      }
      this.#missing('batch');
    }
    return this.#fallback.batch(city, batchId);
  }

  async recognition(question: RecognitionQuestion): Promise<RecognitionVerdict> {
    if (this.#fromIndex('recognition')) {
      this.#observer.onLookup?.('index', 'recognition');
      return this.#recognitionFromIndex(question);
    }
    return this.#fallback.recognition(question);
  }

  #recognitionFromIndex(q: RecognitionQuestion): RecognitionVerdict {
    const record = this.#memory.recognitionRecord(q.recognisingCity, q.issuerCity, q.documentId);
    if (record) {
      const verdict: RecognitionVerdict = { recognised: record.decision === 'accepted', basis: 'record', decision: record.decision };
      if (record.agreementId) verdict.agreementId = record.agreementId;
      return verdict;
    }
    for (const agreement of this.#memory.agreements()) {
      const pair =
        (agreement.proposer === q.issuerCity && agreement.counterparty === q.recognisingCity) ||
        (agreement.proposer === q.recognisingCity && agreement.counterparty === q.issuerCity);
      if (!pair || !agreement.docTypes.includes(q.docType) || !isAgreementInForceAt(agreement, q.at)) continue;
      return { recognised: true, basis: 'agreement', agreementId: agreement.agreementId };
    }
    // The index holds every recognition and agreement event since the first block and is caught up
    // (checked by the caller), so finding neither is the answer; asking the peer would only repeat it.
    return { recognised: false, basis: 'none' };
  }

  async gatewayUrl(city: CityId): Promise<string | undefined> {
    return this.#memory.gatewayUrl(city) ?? this.#fallback.gatewayUrl(city);
  }
}
