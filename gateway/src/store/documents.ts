import type { CityId, DocumentType } from '@jcc/domain';
import type { Store } from './store.js';
import type { Table } from './table.js';

/** How a document's hash goes onto the ledger. */
export type AnchorMode = 'single' | 'batch';

/** Where a document's hash landed on the ledger. */
export interface AnchorInfo {
  mode: AnchorMode;
  txId: string;
  blockNumber: number | null;
  anchoredAt?: string;
  batchId?: string;
}

/** The issuer's change of a document's status, as submitted by this gateway. */
export interface Lifecycle {
  status: 'revoked' | 'superseded';
  reason: string;
  replacementId?: string;
  at: string;
  txId: string;
}

/** A document this gateway issued: the signed body and its anchoring state. */
export interface StoredDocument {
  id: string;
  type: DocumentType;
  city: CityId;
  kid: string;
  subjectPseudonym: string;
  issuedAt: string;
  validUntil: string;
  /**
   * The signed document (the body is its payload). Removed once the
   * configured retention has passed (`bodyRemovedAt`); the hashes, the proof
   * and the status stay, so the document still verifies when its holder presents it.
   */
  jws?: string;
  /** When the body was removed under the retention setting (`retention.documentBodyDays`). */
  bodyRemovedAt?: string;
  /** SHA-256 of the JWS, hex. */
  contentHash: string;
  anchorMode: AnchorMode;
  createdAt: string;
  /** Fingerprint of the request that issued it (idempotent retries). */
  requestHash?: string;
  /** Who issued it (token subject). */
  issuedBy?: string;
  /** Set when a single anchor committed (batch documents have a proof instead). */
  anchor?: AnchorInfo;
  lifecycle?: Lifecycle;
  /** Set when the ledger refused the anchor for good. */
  failure?: { code: string; detail: string; at: string };
}

/** The proof bundle stored for a batch-anchored document. */
export interface StoredProof {
  leafHash: string;
  leafIndex: number;
  treeSize: number;
  auditPath: string[];
  root: string;
  batchId: string;
  txId: string;
  blockNumber: number | null;
}

/** An outbox entry: a document waiting to be anchored. */
export interface OutboxEntry {
  docId: string;
  contentHash: string;
  issuedAt: string;
  enqueuedAt: number;
}

/** The tables of issued documents. */
export interface DocumentTables {
  documents: Table<StoredDocument>;
  proofs: Table<StoredProof>;
  outbox: Record<AnchorMode, Table<OutboxEntry>>;
}

/** Opens the document tables. */
export function documentTables(store: Store): DocumentTables {
  return {
    documents: store.table('docs'),
    proofs: store.table('proofs'),
    outbox: { single: store.table('outbox.single'), batch: store.table('outbox.batch') },
  };
}
