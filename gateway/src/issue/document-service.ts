import type { Logger } from 'pino';
import { z } from 'zod';
import type { CityId, DocumentStatusRecord } from '@jcc/domain';
import type { Ledger } from '../fabric/ledger.js';
import { HttpProblem } from '../http/problem.js';
import type { EventIndex } from '../index/event-index.js';
import { recordKey } from '../index/tables.js';
import { textOf, type FreeTexts } from '../list-entries/free-text.js';
import type { Clock } from '../lib/time.js';
import type { DocumentTables, StoredDocument, StoredProof } from '../store/documents.js';
import { bundleOf } from '../verify/find-proof.js';
import type { ProofBundle } from '../verify/proof-schema.js';
import type { IdempotencyContext, Issued, IssueItem, IssueOutcome, Issuer, IssueRequest } from './issuer.js';

/** States of an issued document, as `GET /api/v1/reports/{id}` reports them. */
export const REPORT_STATES = ['pending', 'anchored', 'revoked', 'superseded', 'expired', 'failed'] as const;

/** The issuer's status decision on a document, as this gateway reports it (the reason's text when it keeps it). */
export interface DocumentStatusView {
  status: 'revoked' | 'superseded';
  /** The reason's text, kept in this gateway; absent when it does not hold it (the ledger holds `reasonHash`). */
  reason?: string;
  /** Salted SHA-256 of the reason, as the ledger holds it. */
  reasonHash: string;
  at: string;
  txId: string;
  replacementId?: string;
}

/** Where a document's hash is on the ledger, as `GET /api/v1/reports/{id}` reports it. */
export interface DocumentAnchorView {
  mode: 'single' | 'batch';
  txId?: string;
  blockNumber?: number | null;
  batchId?: string;
}

/** {@link DocumentStatusView}, as the answers state it. */
export const documentStatusViewSchema = z.object({
  status: z.enum(['revoked', 'superseded']),
  reason: z.string().optional().describe('the reason, kept in this gateway (absent when it does not hold it)'),
  reasonHash: z.string().describe("the reason's salted SHA-256, as the ledger holds it"),
  at: z.string(),
  txId: z.string(),
  replacementId: z.string().optional(),
}) satisfies z.ZodType<DocumentStatusView>;

/** {@link DocumentAnchorView}, as the answers state it. */
export const documentAnchorViewSchema = z.object({
  mode: z.enum(['single', 'batch']),
  txId: z.string().optional(),
  blockNumber: z.number().nullable().optional(),
  batchId: z.string().optional(),
}) satisfies z.ZodType<DocumentAnchorView>;

/** A document this gateway issued and its state (`GET /api/v1/reports/{id}`). */
export interface DocumentState {
  id: string;
  type: string;
  state: (typeof REPORT_STATES)[number];
  issuedAt: string;
  validUntil: string;
  kid: string;
  contentHash: string;
  jws?: string;
  bodyRemovedAt?: string;
  anchor: DocumentAnchorView;
  proof?: ProofBundle;
  status?: DocumentStatusView;
  failure?: { code: string; detail: string; at: string };
}

/** The status record a revocation or replacement wrote, with the block it landed in (and the reason's text). */
export type StatusChange = DocumentStatusRecord & { reason: string; blockNumber: number };

/**
 * The text of a status record's reason, when the gateway of `city` keeps it:
 * the record is that city's and its `reasonHash` commits to a text in `texts`.
 */
export async function statusReasonText(city: CityId, texts: FreeTexts, status: DocumentStatusRecord): Promise<string | undefined> {
  if (status.city !== city) return undefined;
  return textOf(await texts.reveal(status.reasonHash));
}

/** Longest wait for the index to apply a status change before the change is answered (ms). */
const STATUS_INDEX_WAIT_MS = 30_000;

/** What the {@link DocumentService} needs. */
export interface DocumentServiceOptions {
  city: CityId;
  issuer: Issuer;
  tables: DocumentTables;
  ledger: Ledger;
  index: EventIndex;
  /** The free text this gateway keeps off the ledger (the reasons of status changes). */
  texts: FreeTexts;
  clock: Clock;
  log: Logger;
}

/**
 * The documents this gateway issues (文书): issuing them (through the
 * {@link Issuer}), revoking and superseding them, and their state. A
 * document's body, signature and anchoring are kept in the document tables;
 * its status (revoked, superseded) only on the ledger, read through the event
 * index, with the reason's text kept in this gateway and its salted hash on
 * the ledger.
 */
export class DocumentService {
  readonly #o: DocumentServiceOptions;

  constructor(options: DocumentServiceOptions) {
    this.#o = options;
  }

  /** Issues one document (see {@link Issuer.issue}). */
  issue(request: IssueRequest, issuedBy: string, idempotency?: IdempotencyContext): Promise<Issued> {
    return this.#o.issuer.issue(request, issuedBy, idempotency);
  }

  /** Issues many documents in one go (see {@link Issuer.issueMany}). */
  issueMany(items: IssueItem[]): Promise<IssueOutcome[]> {
    return this.#o.issuer.issueMany(items);
  }

  /** A document this gateway issued. @throws HttpProblem 404 when it issued none under `id`. */
  async own(id: string): Promise<StoredDocument> {
    const doc = await this.#o.tables.documents.get(id);
    if (!doc) throw new HttpProblem(404, 'not-found', 'Not found', `this gateway issued no document ${id}`, { code: 'NOT_FOUND' });
    return doc;
  }

  /** The state of a stored document: anchoring, proof, status and failure. */
  async state(doc: StoredDocument): Promise<DocumentState> {
    const proof: StoredProof | undefined = doc.anchorMode === 'batch' ? await this.#o.tables.proofs.get(doc.id) : undefined;
    const status = await this.status(doc.city, doc.id);
    const anchored = doc.anchor !== undefined || proof !== undefined;
    const state = status
      ? status.status
      : doc.failure
        ? 'failed'
        : Date.parse(doc.validUntil) <= this.#o.clock()
          ? 'expired'
          : anchored
            ? 'anchored'
            : 'pending';
    const anchor: DocumentAnchorView = proof
      ? { mode: 'batch', txId: proof.txId, blockNumber: proof.blockNumber, batchId: proof.batchId }
      : doc.anchor
        ? { mode: 'single', txId: doc.anchor.txId, blockNumber: doc.anchor.blockNumber }
        : { mode: doc.anchorMode };
    const out: DocumentState = {
      id: doc.id,
      type: doc.type,
      state,
      issuedAt: doc.issuedAt,
      validUntil: doc.validUntil,
      kid: doc.kid,
      contentHash: doc.contentHash,
      ...(doc.jws === undefined ? {} : { jws: doc.jws }),
      ...(doc.bodyRemovedAt ? { bodyRemovedAt: doc.bodyRemovedAt } : {}),
      anchor,
    };
    if (proof) out.proof = bundleOf(proof);
    if (status) out.status = status;
    if (doc.failure) out.failure = doc.failure;
    return out;
  }

  /** A document's status decision as the ledger holds it (through the index), with the reason's text when this gateway keeps it. */
  async status(city: CityId, id: string): Promise<DocumentStatusView | undefined> {
    const record = await this.#o.index.tables.statuses.get(recordKey(city, id));
    if (!record) return undefined;
    const reason = await this.statusReason(record);
    return {
      status: record.status,
      ...(reason === undefined ? {} : { reason }),
      reasonHash: record.reasonHash,
      at: record.at,
      txId: record.txId,
      ...(record.replacementId ? { replacementId: record.replacementId } : {}),
    };
  }

  /** The text of a status record's reason, when this gateway keeps it (see {@link statusReasonText}). */
  statusReason(status: DocumentStatusRecord): Promise<string | undefined> {
    return statusReasonText(this.#o.city, this.#o.texts, status);
  }

  /**
   * Revokes a document this city issued (`reports:RevokeDocument`): the
   * reason stays here, the ledger gets its salted hash.
   */
  revoke(id: string, reason: string, by: string | undefined): Promise<StatusChange> {
    return this.#changeStatus('reports:RevokeDocument', { id, reason }, by);
  }

  /** Marks a document this city issued as superseded by `replacementId` (`reports:SupersedeDocument`). */
  supersede(id: string, replacementId: string, reason: string, by: string | undefined): Promise<StatusChange> {
    return this.#changeStatus('reports:SupersedeDocument', { id, reason, replacementId }, by);
  }

  async #changeStatus(
    transaction: 'reports:RevokeDocument' | 'reports:SupersedeDocument',
    change: { id: string; reason: string; replacementId?: string },
    by: string | undefined,
  ): Promise<StatusChange> {
    const { id, reason, replacementId } = change;
    const doc = await this.#o.tables.documents.get(id);
    let batchId: string | undefined;
    if (doc?.anchorMode === 'batch') {
      // The ledger knows a batch-anchored document through its batch only.
      const proof = await this.#o.tables.proofs.get(id);
      if (!proof)
        throw new HttpProblem(
          409,
          'not-anchored-yet',
          'Not anchored yet',
          `document ${id} waits for its batch to be anchored; retry in a few seconds`,
          { code: 'INVALID_STATE' },
          { 'Retry-After': '2' },
        );
      batchId = proof.batchId;
    }
    // A replacement anchored in a batch is known to the ledger through its batch only.
    const replacementBatchId = replacementId ? (await this.#o.tables.proofs.get(replacementId))?.batchId : undefined;
    const committed = await this.#o.texts.keep({ reason: [`${this.#o.city}|${id}|statusReason`, reason] }, (h) =>
      this.#o.ledger.submit<DocumentStatusRecord>(transaction, {
        id,
        reasonHash: h.reason,
        ...(replacementId ? { replacementId } : {}),
        ...(batchId ? { batchId } : {}),
        ...(replacementBatchId ? { replacementBatchId } : {}),
      }),
    );
    // Read-your-writes: the status is stored once, on the ledger, and read through the index; wait for the index to
    // apply the event (normally milliseconds), so the document's state and a verification here see it once we answer.
    await this.#o.index.waitForTransaction(committed.transactionId, STATUS_INDEX_WAIT_MS);
    this.#o.log.info(
      { action: transaction === 'reports:RevokeDocument' ? 'revoke' : 'supersede', docId: id, txId: committed.transactionId, by },
      'document status changed',
    );
    return { ...committed.result, reason, blockNumber: Number(committed.blockNumber) };
  }
}
