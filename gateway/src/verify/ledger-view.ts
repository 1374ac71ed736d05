import type { CityId, DocumentType } from '@jcc/domain';
import type { BatchRecord, DocumentView, KeyRecord, RecognitionVerdict } from '../fabric/records.js';

/** A record with the block its transaction landed in, when known. */
export type WithBlock<T> = T & { blockNumber?: number };

/** The question `recognition:IsRecognised` answers. */
export interface RecognitionQuestion {
  issuerCity: CityId;
  documentId: string;
  docType: DocumentType;
  recognisingCity: CityId;
  at: string;
}

/**
 * The ledger state verification and token checks read. Implemented over a
 * peer query per call ({@link PeerView}) and over the local index with the
 * peer as fallback ({@link IndexView}).
 */
export interface LedgerView {
  /** `index` or `peer`: where the last answers came from by default. */
  readonly source: 'index' | 'peer';
  /** A city's registered key, or `undefined`. */
  key(city: CityId, kid: string): Promise<KeyRecord | undefined>;
  /**
   * A document's anchor and status, or `undefined` when the ledger has neither.
   * `expectAnchor: false` (a batch-anchored document, which has no anchor
   * record of its own) lets a current index answer "no status record" without asking the peer.
   */
  document(city: CityId, id: string, options?: { expectAnchor?: boolean }): Promise<WithBlock<DocumentView> | undefined>;
  /** A batch record, or `undefined`. */
  batch(city: CityId, batchId: string): Promise<WithBlock<BatchRecord> | undefined>;
  /** Whether `recognisingCity` recognises the document. */
  recognition(question: RecognitionQuestion): Promise<RecognitionVerdict>;
  /** The gateway URL a city recorded on the ledger, if any. */
  gatewayUrl(city: CityId): Promise<string | undefined>;
}
