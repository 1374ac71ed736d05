import type { CityId } from '../cities.js';
import type { DocumentType } from '../document.js';
import type { BatchRecord, DocumentAnchorRecord, DocumentStatusRecord, KeyRecord, RecognitionVerdict } from '../ledger/records.js';

/** A ledger record with the number of the block its transaction landed in, when the reader knows it. */
export type WithBlock<T> = T & { blockNumber?: number };

/** What the ledger holds about one document id: its single anchor and/or its status record. */
export interface DocumentFacts {
  /** The single anchor (`reports:AnchorDocument`); absent for batch-anchored documents. */
  anchor?: WithBlock<DocumentAnchorRecord>;
  /** The status record (revoked or superseded); absent while the document is in force. */
  status?: DocumentStatusRecord;
}

/** The question `recognition:IsRecognised` answers. */
export interface RecognitionQuestion {
  issuerCity: CityId;
  documentId: string;
  docType: DocumentType;
  recognisingCity: CityId;
  /** The instant agreements must be in force at (RFC 3339 UTC, milliseconds). */
  at: string;
}

/**
 * The ledger as verification reads it (the port of the verification core).
 * Implemented by the gateway's index view and peer view and by the CLI's
 * offline Fabric reader; an adapter only reads facts, it never decides
 * validity. Each method answers `undefined` for a record the ledger lacks and
 * throws when the ledger cannot be read (verification then fails as a whole:
 * a verdict is never built on facts that could not be read).
 */
export interface LedgerPort {
  /** `index` (the gateway's event index) or `peer` (a query to a peer per fact). */
  readonly source: 'index' | 'peer';
  /** Number of blocks the view reflects, or `null` when it cannot tell. */
  height(): Promise<number | null>;
  /** The key a city registered under `kid` (`cities:GetKey`). */
  key(city: CityId, kid: string): Promise<KeyRecord | undefined>;
  /**
   * A document's single anchor and status (`reports:GetDocument`).
   * `expectAnchor: false` hints that the caller holds a Merkle proof, so no single anchor is expected.
   */
  document(city: CityId, id: string, hint?: { expectAnchor?: boolean }): Promise<DocumentFacts | undefined>;
  /** A batch record (`reports:GetBatch`). */
  batch(city: CityId, batchId: string): Promise<WithBlock<BatchRecord> | undefined>;
  /** The ledger's recognition facts for the question (`recognition:IsRecognised`: record first, then agreements). */
  recognition(question: RecognitionQuestion): Promise<RecognitionVerdict>;
}
