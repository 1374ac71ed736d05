import type { CityId } from '@jcc/domain';
import { LedgerRefusedError } from '../fabric/errors.js';
import type { Ledger } from '../fabric/ledger.js';
import type { BatchRecord, CityView, DocumentView, KeyRecord, RecognitionVerdict } from '../fabric/records.js';
import type { DocumentFacts, LedgerView, RecognitionQuestion, WithBlock } from './ledger-view.js';

/** `undefined` for a NOT_FOUND refusal; other errors propagate. */
async function orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof LedgerRefusedError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

/**
 * {@link LedgerView} by a query to the city's peer per call. Block numbers of
 * anchors are looked up with the system chaincode (qscc) so answers carry the
 * same facts as the index's. An adapter of the verification core's port: it
 * reads facts, the core judges them.
 */
export class PeerView implements LedgerView {
  readonly source = 'peer' as const;
  readonly #ledger: Ledger;
  readonly #blockCache = new Map<string, number>();

  constructor(ledger: Ledger) {
    this.#ledger = ledger;
  }

  async height(): Promise<number | null> {
    return Number(await this.#ledger.chainHeight());
  }

  key(city: CityId, kid: string): Promise<KeyRecord | undefined> {
    return orUndefined(this.#ledger.evaluate<KeyRecord>('cities:GetKey', { city, kid }));
  }

  async document(city: CityId, id: string): Promise<DocumentFacts | undefined> {
    const view = await orUndefined(this.#ledger.evaluate<DocumentView>('reports:GetDocument', { city, id }));
    if (!view) return undefined;
    const facts: DocumentFacts = {};
    if (view.anchor) {
      const blockNumber = await this.#blockOf(view.anchor.txId);
      facts.anchor = blockNumber === undefined ? view.anchor : { ...view.anchor, blockNumber };
    }
    if (view.status) facts.status = view.status;
    return facts;
  }

  async batch(city: CityId, batchId: string): Promise<WithBlock<BatchRecord> | undefined> {
    const record = await orUndefined(this.#ledger.evaluate<BatchRecord>('reports:GetBatch', { city, batchId }));
    if (!record) return undefined;
    const blockNumber = await this.#blockOf(record.txId);
    return blockNumber === undefined ? record : { ...record, blockNumber };
  }

  recognition(question: RecognitionQuestion): Promise<RecognitionVerdict> {
    return this.#ledger.evaluate<RecognitionVerdict>('recognition:IsRecognised', question);
  }

  async gatewayUrl(city: CityId): Promise<string | undefined> {
    const view = await orUndefined(this.#ledger.evaluate<CityView>('cities:GetCity', { city }));
    return view?.gatewayUrl;
  }

  async #blockOf(transactionId: string): Promise<number | undefined> {
    const cached = this.#blockCache.get(transactionId);
    if (cached !== undefined) return cached;
    const block = await this.#ledger.blockNumberOfTransaction(transactionId);
    if (block === undefined) return undefined;
    if (this.#blockCache.size > 10_000) this.#blockCache.clear();
    this.#blockCache.set(transactionId, Number(block));
    return Number(block);
  }
}
