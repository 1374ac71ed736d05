import {
  cityById,
  DOCUMENT_SCHEMA,
  canonicalJson,
  canonicalJsonBytes,
  sha256Hex,
  type CityId,
  type CreditDocument,
  type DocumentType,
} from '@jcc/domain';
import type { SignatureSuite } from '../config/config.js';
import type { KeyStore } from '../keys/keystore.js';
import { derivedRecordId, newRecordId } from '../lib/ids.js';
import { OrderedKeys } from '../lib/ordered-key.js';
import { isoTimestamp, type Clock } from '../lib/time.js';
import type { AnchorMode, DocumentTables, StoredDocument } from '../store/documents.js';
import type { Store } from '../store/store.js';
import { documentHash, signDocumentBytes, signDocumentWithSuite } from './document-jws.js';
import type { WriteOp } from '../store/table.js';
import type { BatchSigner } from './batch-signer.js';
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
  /** Signs Ed25519 documents off the main thread (default: node:crypto on the main thread). */
  signer?: BatchSigner;
  /** Called after documents were queued for anchoring (`count` of them in `mode`). */
  onQueued?(mode: AnchorMode, count: number): void;
}

/** One document to issue, as {@link Issuer.issueMany} takes it. */
export interface IssueItem {
  request: IssueRequest;
  issuedBy: string;
  idempotency?: IdempotencyContext;
}

/** What {@link Issuer.issueMany} answers for one item: the document, or why it was not issued. */
export type IssueOutcome = Issued | IdempotencyConflictError | IssueRequestError;

/** Most single requests issued together. */
const MAX_COALESCED = 512;

/** A document prepared for signing. */
interface Prepared {
  at: number;
  id: string;
  item: IssueItem;
  document: CreditDocument;
}

/**
 * Issues documents: pseudonymises the subject, builds the canonical
 * document, signs it with the city's current document key(s) as its suite
 * says (Ed25519; Ed25519 and SM2; or SM2), and, in one atomic
 * write, stores it and queues its hash for anchoring. Once `issue` returns,
 * the document will be anchored even if the process dies right away.
 *
 * One path for every caller: {@link Issuer.issue} (one request) is
 * {@link Issuer.issueMany} of one item; a bulk upload gives it many, which
 * are signed in one go and stored in one write.
 */
export class Issuer {
  readonly #o: IssuerOptions;
  readonly #keys: OrderedKeys;
  /** Ids being issued now under an idempotency key, so a retry racing the original waits for it. */
  readonly #busy = new Map<string, Promise<unknown>>();
  /** Single requests waiting for the next turn of the event loop, to be issued together. */
  readonly #pending: Array<{ item: IssueItem; resolve(o: IssueOutcome): void; reject(err: unknown): void }> = [];

  constructor(options: IssuerOptions) {
    this.#o = options;
    this.#keys = new OrderedKeys(options.clock);
  }

  /**
   * Issues one document.
   *
   * @throws IdempotencyConflictError when the idempotency key came with another request.
   * @throws IssueRequestError when the request cannot be accepted.
   */
  async issue(request: IssueRequest, issuedBy: string, idempotency?: IdempotencyContext): Promise<Issued> {
    const item: IssueItem = idempotency ? { request, issuedBy, idempotency } : { request, issuedBy };
    const outcome = await new Promise<IssueOutcome>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      // Requests that arrive together (one turn of the event loop) are issued together: one signing round, one write.
      if (this.#pending.length === 1) setImmediate(() => this.#flush());
      else if (this.#pending.length >= MAX_COALESCED) this.#flush();
    });
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  #flush(): void {
    const waiting = this.#pending.splice(0);
    if (waiting.length === 0) return;
    this.issueMany(waiting.map((w) => w.item)).then(
      (outcomes) => waiting.forEach((w, i) => w.resolve(outcomes[i] as IssueOutcome)),
      (err: unknown) => waiting.forEach((w) => w.reject(err)),
    );
  }

  /**
   * Issues many documents at once: every accepted one is signed, then all
   * are stored and queued for anchoring in one atomic write. Answers in the
   * order of `items`, each with its document or its own error (a refused item
   * does not stop the others); throws only when the store write fails, and
   * then none of them was issued.
   */
  async issueMany(items: readonly IssueItem[]): Promise<IssueOutcome[]> {
    const { city, clock } = this.#o;
    const now = clock();
    // The id depends on the idempotency key and on this store (its first document key), so another gateway
    // store of the same city (a rebuilt one, a second instance) never derives an id the ledger already holds.
    const storeSalt = this.#o.keys.all('document')[0]?.kid ?? '-';
    const ids = items.map((it) =>
      it.idempotency
        ? derivedRecordId(city, ID_KINDS[it.request.docType], `${storeSalt}|${it.idempotency.scope}`, it.idempotency.key)
        : newRecordId(city, ID_KINDS[it.request.docType], now),
    );
    const keyed = [...new Set(ids.filter((_, i) => items[i]?.idempotency))];
    if (keyed.length === 0) return this.#issueAll(items, ids);
    // Requests under one idempotency key run one at a time: wait for earlier holders, then hold them all.
    for (;;) {
      const holders = keyed.map((id) => this.#busy.get(id)).filter((p) => p !== undefined);
      if (holders.length === 0) break;
      await Promise.allSettled(holders);
    }
    const work = this.#issueAll(items, ids);
    for (const id of keyed) this.#busy.set(id, work);
    try {
      return await work;
    } finally {
      for (const id of keyed) if (this.#busy.get(id) === work) this.#busy.delete(id);
    }
  }

  async #issueAll(items: readonly IssueItem[], ids: readonly string[]): Promise<IssueOutcome[]> {
    const { city, clock, tables } = this.#o;
    await this.#o.keys.settled(); // never stamp and sign while a key rotation is closing the current key
    const now = clock();
    const issuedAt = isoTimestamp(now);
    const out: IssueOutcome[] = new Array(items.length);
    // Idempotent retries: the documents issued earlier under the same keys.
    const keyedAt = items.flatMap((it, i) => (it.idempotency ? [i] : []));
    const earlier = keyedAt.length ? await tables.documents.getMany(keyedAt.map((i) => ids[i] as string)) : [];
    const earlierAt = new Map(keyedAt.map((at, n) => [at, earlier[n]]));
    const firstOf = new Map<string, number>();
    const prepared: Prepared[] = [];
    for (let at = 0; at < items.length; at++) {
      const item = items[at] as IssueItem;
      const id = ids[at] as string;
      const before = earlierAt.get(at);
      if (before && item.idempotency) {
        out[at] =
          before.jws === undefined
            ? new IssueRequestError(`document ${id} was issued earlier and its body removed under the retention setting`)
            : before.requestHash === item.idempotency.fingerprint
              ? { id, jws: before.jws, anchor: before.anchorMode, replayed: true }
              : new IdempotencyConflictError('this Idempotency-Key was used with a different request');
        continue;
      }
      if (firstOf.has(id)) continue; // the same key twice in one call: answered below, after the first
      if (Date.parse(item.request.validUntil) <= now) {
        out[at] = new IssueRequestError('validUntil must lie in the future');
        continue;
      }
      firstOf.set(id, at);
      prepared.push({
        at,
        id,
        item,
        document: {
          schema: DOCUMENT_SCHEMA,
          id,
          type: item.request.docType,
          issuer: { city, mspId: cityById(city).mspId },
          subject: documentSubject(this.#o.secret, item.request.subject),
          issuedAt,
          validUntil: item.request.validUntil,
          content: { ...item.request.content, reportType: item.request.reportType },
        },
      });
    }
    if (prepared.length) {
      const { jwss, kid } = await this.#sign(prepared.map((p) => p.document));
      const ops: WriteOp[] = [];
      const queued: Record<AnchorMode, number> = { single: 0, batch: 0 };
      prepared.forEach((p, n) => {
        const jws = jwss[n] as string;
        const { request, issuedBy, idempotency } = p.item;
        const contentHash = documentHash(jws);
        const stored: StoredDocument = {
          id: p.id,
          type: request.docType,
          city,
          kid,
          subjectPseudonym: p.document.subject.pseudonym,
          issuedAt,
          validUntil: request.validUntil,
          jws,
          contentHash,
          anchorMode: request.anchor,
          createdAt: issuedAt,
          issuedBy,
        };
        if (idempotency) stored.requestHash = idempotency.fingerprint;
        ops.push(
          tables.documents.putOp(p.id, stored),
          ...reportOrderOps(this.#o.store, stored),
          tables.outbox[request.anchor].putOp(this.#keys.next(), { docId: p.id, contentHash, issuedAt, enqueuedAt: now }),
        );
        queued[request.anchor]++;
        out[p.at] = { id: p.id, jws, anchor: request.anchor, replayed: false };
      });
      await this.#o.store.write(ops);
      for (const mode of ['single', 'batch'] as const) if (queued[mode]) this.#o.onQueued?.(mode, queued[mode]);
    }
    // A repeated key within the call: the first one's answer, replayed (or a conflict).
    for (let at = 0; at < items.length; at++) {
      if (out[at] !== undefined) continue;
      const first = out[firstOf.get(ids[at] as string) as number];
      const item = items[at] as IssueItem;
      const firstItem = items[firstOf.get(ids[at] as string) as number] as IssueItem;
      out[at] =
        first instanceof Error || first === undefined
          ? (first ?? new IssueRequestError('not issued'))
          : firstItem.idempotency?.fingerprint === item.idempotency?.fingerprint
            ? { ...first, replayed: true }
            : new IdempotencyConflictError('this Idempotency-Key was used with a different request');
    }
    return out;
  }

  /** Signs the documents as the suite says; the kid the ledger anchor names (the Ed25519 key's, or the SM2 key's when it signs alone). */
  async #sign(documents: CreditDocument[]): Promise<{ jwss: string[]; kid: string }> {
    const suite = this.#o.suite ?? 'ed25519';
    const edKey = suite === 'sm2' ? undefined : this.#o.keys.current('document');
    const sm2Key = suite === 'ed25519' ? undefined : this.#o.keys.currentSm2();
    const kid = edKey?.kid ?? sm2Key?.kid ?? '';
    if (suite === 'ed25519' && edKey) {
      const payloads = documents.map((d) => canonicalJsonBytes(d));
      const jwss = this.#o.signer ? await this.#o.signer.signMany(payloads, edKey) : payloads.map((p) => signDocumentBytes(p, edKey));
      return { jwss, kid };
    }
    const jwss: string[] = [];
    for (const d of documents) jwss.push(await signDocumentWithSuite(d, suite, { ed25519: edKey, sm2: sm2Key }));
    return { jwss, kid };
  }
}

/** The fingerprint of a request body: SHA-256 of its canonical JSON. */
export function requestFingerprint(body: unknown): string {
  return sha256Hex(canonicalJson(body ?? null));
}
