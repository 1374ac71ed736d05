import { isAgreementInForceAt, type CityId } from '@jcc/domain';
import type { EventIndex } from '../index/event-index.js';
import type { BatchRecord, KeyRecord, RecognitionVerdict } from '../fabric/records.js';
import type { DocumentFacts, LedgerView, RecognitionQuestion, WithBlock } from './ledger-view.js';

/** Counts of where {@link IndexView} answers came from. */
export interface ViewObserver {
  onLookup?(source: 'index' | 'peer', kind: string): void;
}

/**
 * {@link LedgerView} over the local event index. When the index is behind the
 * ledger, or lacks the record asked for, the answer comes from the peer.
 * An adapter of the verification core's port: it reads facts, the core judges them.
 */
export class IndexView implements LedgerView {
  readonly source = 'index' as const;
  readonly #index: EventIndex;
  readonly #peer: LedgerView;
  readonly #observer: ViewObserver;

  constructor(index: EventIndex, peer: LedgerView, observer: ViewObserver = {}) {
    this.#index = index;
    this.#peer = peer;
    this.#observer = observer;
  }

  #fromIndex(kind: string): boolean {
    const current = this.#index.caughtUp;
    if (!current) this.#observer.onLookup?.('peer', kind);
    return current;
  }

  #fallback(kind: string): void {
    this.#observer.onLookup?.('peer', kind);
  }

  async key(city: CityId, kid: string): Promise<KeyRecord | undefined> {
    if (this.#fromIndex('key')) {
      const record = await this.#index.tables.keys.get(`${city}|${kid}`);
      if (record) {
        this.#observer.onLookup?.('index', 'key');
        const { blockNumber: _b, ...key } = record;
        return key as KeyRecord;
      }
      this.#fallback('key');
    }
    return this.#peer.key(city, kid);
  }

  async height(): Promise<number | null> {
    const seen = this.#index.progress.seenBlock;
    if (this.#index.caughtUp && seen !== undefined) return Number(seen) + 1;
    return this.#peer.height();
  }

  async document(city: CityId, id: string, options: { expectAnchor?: boolean } = {}): Promise<DocumentFacts | undefined> {
    if (this.#fromIndex('document')) {
      const [anchor, status] = await Promise.all([
        this.#index.tables.anchors.get(`${city}|${id}`),
        this.#index.tables.statuses.get(`${city}|${id}`),
      ]);
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
      this.#fallback('document');
    }
    return this.#peer.document(city, id, options);
  }

  async batch(city: CityId, batchId: string): Promise<WithBlock<BatchRecord> | undefined> {
    if (this.#fromIndex('batch')) {
      const record = await this.#index.tables.batches.get(`${city}|${batchId}`);
      if (record) {
        this.#observer.onLookup?.('index', 'batch');
        return record;
      }
      this.#fallback('batch');
    }
    return this.#peer.batch(city, batchId);
  }

  async recognition(question: RecognitionQuestion): Promise<RecognitionVerdict> {
    if (this.#fromIndex('recognition')) {
      const answer = await this.#recognitionFromIndex(question);
      if (answer) {
        this.#observer.onLookup?.('index', 'recognition');
        return answer;
      }
      this.#fallback('recognition');
    }
    return this.#peer.recognition(question);
  }

  async #recognitionFromIndex(q: RecognitionQuestion): Promise<RecognitionVerdict | undefined> {
    const record = await this.#index.tables.recognitions.get(`${q.recognisingCity}|${q.issuerCity}|${q.documentId}`);
    if (record) {
      const verdict: RecognitionVerdict = { recognised: record.decision === 'accepted', basis: 'record', decision: record.decision };
      if (record.agreementId) verdict.agreementId = record.agreementId;
      return verdict;
    }
    for await (const [, agreement] of this.#index.tables.agreements.entries()) {
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
    const entry = await this.#index.tables.cities.get(city);
    if (entry?.gatewayUrl) return entry.gatewayUrl;
    return this.#peer.gatewayUrl(city);
  }
}
