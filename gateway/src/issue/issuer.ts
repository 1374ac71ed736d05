import { cityById, DOCUMENT_SCHEMA, canonicalJson, sha256Hex, type CityId, type CreditDocument, type DocumentType } from '@jcc/domain';
import type { SignatureSuite } from '../config/config.js';
import type { KeyStore } from '../keys/keystore.js';
import { derivedRecordId, newRecordId } from '../lib/ids.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import { OrderedKeys } from '../lib/ordered-key.js';
import { isoTimestamp, type Clock } from '../lib/time.js';
import type { AnchorMode, DocumentTables, StoredDocument } from '../store/documents.js';
import type { Store } from '../store/store.js';
import { documentHash, signDocumentWithSuite } from './document-jws.js';
import { documentSubject, type Subject } from './subject.js';
import { reportOrderOps } from '../reports/report-order.js';

/** Short kinds used in document ids. */
const ID_KINDS: Record<DocumentType, string> = { creditReport: 'cr', evaluation: 'ev', listEntry: 'le', agencyFiling: 'af' };

/** What an operator asks to issue. */
export interface IssueRequest {
  subject: Subject;
  docType: DocumentType;
  reportType: string;
  content: Record<string, unknown>;
  validUntil: string;
  anchor: AnchorMode;
}

/** The answer to an issue request. */
export interface Issued {
  id: string;
  jws: string;
  anchor: AnchorMode;
  /** True when this was an idempotent replay of an earlier request. */
  replayed: boolean;
}

/** An idempotency key sent with an issue request, and the request's fingerprint. */
export interface IdempotencyContext {
  /** Who sent it (the key is scoped to them). */
  scope: string;
  key: string;
  /** SHA-256 of the canonical request. */
  fingerprint: string;
}

/** The same idempotency key came with a different request. */
export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
}

/** The issue request is not acceptable (e.g. validity in the past). */
export class IssueRequestError extends Error {
  override readonly name = 'IssueRequestError';
}

/** What the {@link Issuer} needs. */
export interface IssuerOptions {
  city: CityId;
  secret: string;
  keys: KeyStore;
  store: Store;
  tables: DocumentTables;
  clock: Clock;
  /** How documents are signed (default `ed25519`); the SM2 suites need the key store opened with `sm2`. */
  suite?: SignatureSuite;
  /** Called after a document was queued for anchoring. */
  onQueued?(mode: AnchorMode): void;
}

/**
 * Issues documents: pseudonymises the subject, builds the canonical
 * document, signs it with the city's current document key(s) as its suite
 * says (Ed25519; Ed25519 and SM2; or SM2), and, in one atomic
 * write, stores it and queues its hash for anchoring. Once `issue` returns,
 * the document will be anchored even if the process dies right away.
 */
export class Issuer {
  readonly #o: IssuerOptions;
  readonly #keys: OrderedKeys;
  readonly #mutex = new KeyedMutex();

  constructor(options: IssuerOptions) {
    this.#o = options;
    this.#keys = new OrderedKeys(options.clock);
  }

  async issue(request: IssueRequest, issuedBy: string, idempotency?: IdempotencyContext): Promise<Issued> {
    const { city, clock } = this.#o;
    if (!idempotency) return this.#issue(newRecordId(city, ID_KINDS[request.docType], clock()), request, issuedBy);
    // Requests under one idempotency key run one at a time, so a retry racing the original sees its result.
    // The id also depends on this store (its first document key), so another gateway store of the same city
    // (a rebuilt one, a second instance) never derives an id the ledger already holds for another document.
    const storeSalt = this.#o.keys.all('document')[0]?.kid ?? '-';
    const id = derivedRecordId(city, ID_KINDS[request.docType], `${storeSalt}|${idempotency.scope}`, idempotency.key);
    return this.#mutex.run(id, () => this.#issue(id, request, issuedBy, idempotency));
  }

  async #issue(id: string, request: IssueRequest, issuedBy: string, idempotency?: IdempotencyContext): Promise<Issued> {
    const { city, clock, tables } = this.#o;
    const now = clock();
    if (idempotency) {
      const earlier = await tables.documents.get(id);
      if (earlier) {
        if (earlier.requestHash !== idempotency.fingerprint)
          throw new IdempotencyConflictError('this Idempotency-Key was used with a different request');
        if (earlier.jws === undefined)
          throw new IssueRequestError(`document ${id} was issued earlier and its body removed under the retention setting`);
        return { id, jws: earlier.jws, anchor: earlier.anchorMode, replayed: true };
      }
    }
    const issuedAt = isoTimestamp(now);
    if (Date.parse(request.validUntil) <= now) throw new IssueRequestError('validUntil must lie in the future');
    const suite = this.#o.suite ?? 'ed25519';
    const edKey = suite === 'sm2' ? undefined : this.#o.keys.current('document');
    const sm2Key = suite === 'ed25519' ? undefined : this.#o.keys.currentSm2();
    // The ledger anchor names one kid: the Ed25519 key's, or the SM2 key's when it signs alone.
    const kid = edKey?.kid ?? sm2Key?.kid ?? '';
    const document: CreditDocument = {
      schema: DOCUMENT_SCHEMA,
      id,
      type: request.docType,
      issuer: { city, mspId: cityById(city).mspId },
      subject: documentSubject(this.#o.secret, request.subject),
      issuedAt,
      validUntil: request.validUntil,
      content: { ...request.content, reportType: request.reportType },
    };
    const jws = await signDocumentWithSuite(document, suite, { ed25519: edKey, sm2: sm2Key });
    const contentHash = documentHash(jws);
    const stored: StoredDocument = {
      id,
      type: request.docType,
      city,
      kid,
      subjectPseudonym: document.subject.pseudonym,
      issuedAt,
      validUntil: request.validUntil,
      jws,
      contentHash,
      anchorMode: request.anchor,
      createdAt: issuedAt,
      issuedBy,
    };
    if (idempotency) stored.requestHash = idempotency.fingerprint;
    await this.#o.store.write([
      tables.documents.putOp(id, stored),
      ...reportOrderOps(this.#o.store, stored),
      tables.outbox[request.anchor].putOp(this.#keys.next(), { docId: id, contentHash, issuedAt, enqueuedAt: now }),
    ]);
    this.#o.onQueued?.(request.anchor);
    return { id, jws, anchor: request.anchor, replayed: false };
  }
}

/** The fingerprint of a request body: SHA-256 of its canonical JSON. */
export function requestFingerprint(body: unknown): string {
  return sha256Hex(canonicalJson(body ?? null));
}
