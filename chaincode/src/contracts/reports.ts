import { Context, Contract } from 'fabric-contract-api';
import {
  anchorBatchInput,
  anchorDocumentInput,
  CodedError,
  getBatchInput,
  getDocumentInput,
  isKeyValidAt,
  LEDGER_EVENTS,
  listDocumentsBySubjectInput,
  revokeDocumentInput,
  supersedeDocumentInput,
  type BatchRecord,
  type City,
  type DocumentAnchorRecord,
  type DocumentStatusRecord,
  type DocumentView,
  type KeyRecord,
} from '@jcc/domain';
import { Returns, Transaction } from '../lib/decorators.js';
import { emitEvent } from '../lib/events.js';
import { assertSameContent, assertState, found } from '../lib/guards.js';
import { assertOnLedger } from '../lib/references.js';
import { parseInput } from '../lib/input.js';
import { compositeKey, OBJECT_TYPES } from '../lib/keys.js';
import { readPage } from '../lib/pagination.js';
import { jsonResult } from '../lib/result.js';
import { readSealedRecord, writeSealedRecord } from '../lib/seal.js';
import { readRecord, writeIndex, writeRecord } from '../lib/state.js';
import { submittingCity } from '../lib/submitter.js';
import { txTimestamp } from '../lib/txTime.js';

/** Fields of a document anchor that must match for a re-anchor to be idempotent. */
const ANCHOR_CONTENT: readonly (keyof DocumentAnchorRecord)[] = [
  'docType',
  'subjectPseudonym',
  'contentHash',
  'contentHashSm3',
  'issuedAt',
  'validUntil',
  'kid',
];

/** Fields of a batch that must match for a re-anchor to be idempotent. */
const BATCH_CONTENT: readonly (keyof BatchRecord)[] = [
  'root',
  'leafCount',
  'leafScheme',
  'rootSm3',
  'leafSchemeSm3',
  'firstIssuedAt',
  'lastIssuedAt',
];

/**
 * `reports`: anchors of document hashes, alone or as Merkle batch roots, and
 * the issuer's status decisions (revoked, superseded) on its documents.
 */
export class ReportsContract extends Contract {
  constructor() {
    super('reports');
  }

  /**
   * Anchors the SHA-256 of one document issued by the submitting city, and
   * its SM3 (`contentHashSm3`) when given. Idempotent for the same content.
   */
  @Transaction()
  @Returns('string')
  async AnchorDocument(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(anchorDocumentInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.document, [city.id, input.id]);
    const existing = await readRecord<DocumentAnchorRecord>(ctx, key);
    if (existing) {
      assertSameContent(existing, input, ANCHOR_CONTENT, `document ${city.id}/${input.id}`);
      return jsonResult(existing);
    }
    await assertDocumentKey(ctx, city, input.kid, input.issuedAt);
    const record: DocumentAnchorRecord = {
      city: city.id,
      id: input.id,
      docType: input.docType,
      subjectPseudonym: input.subjectPseudonym,
      contentHash: input.contentHash,
      contentHashSm3: input.contentHashSm3,
      issuedAt: input.issuedAt,
      validUntil: input.validUntil,
      kid: input.kid,
      status: 'active',
      anchoredAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    await writeRecord(ctx, key, record, city);
    await writeIndex(ctx, compositeKey(ctx, OBJECT_TYPES.documentBySubject, [input.subjectPseudonym, city.id, input.id]), city);
    await emitEvent(ctx, LEDGER_EVENTS.documentAnchored, record, city.id);
    return jsonResult(record);
  }

  /**
   * Anchors the root of a Merkle batch of the submitting city's documents,
   * and its `rfc9162-sm3/v1` root (`rootSm3`) when given. Idempotent for the same content.
   */
  @Transaction()
  @Returns('string')
  async AnchorBatch(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(anchorBatchInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.batch, [city.id, input.batchId]);
    const existing = await readRecord<BatchRecord>(ctx, key);
    if (existing) {
      assertSameContent(existing, input, BATCH_CONTENT, `batch ${city.id}/${input.batchId}`);
      return jsonResult(existing);
    }
    const record: BatchRecord = {
      city: city.id,
      batchId: input.batchId,
      root: input.root,
      leafCount: input.leafCount,
      leafScheme: input.leafScheme,
      rootSm3: input.rootSm3,
      leafSchemeSm3: input.leafSchemeSm3,
      firstIssuedAt: input.firstIssuedAt,
      lastIssuedAt: input.lastIssuedAt,
      anchoredAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    await writeRecord(ctx, key, record, city);
    await emitEvent(ctx, LEDGER_EVENTS.batchAnchored, record, city.id);
    return jsonResult(record);
  }

  /**
   * Revokes one of the submitting city's documents, anchored alone (`id`) or in a batch (`batchId`).
   * The reason stays in the issuing gateway; the record holds its salted hash (`reasonHash`).
   */
  @Transaction()
  @Returns('string')
  async RevokeDocument(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(revokeDocumentInput, inputJson);
    const record = await changeStatus(ctx, city, input.id, input.batchId, { status: 'revoked', reasonHash: input.reasonHash });
    await emitEvent(ctx, LEDGER_EVENTS.documentRevoked, record, city.id);
    return jsonResult(record);
  }

  /** Marks one of the submitting city's documents, anchored alone or in a batch, as superseded by another. */
  @Transaction()
  @Returns('string')
  async SupersedeDocument(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(supersedeDocumentInput, inputJson);
    const record = await changeStatus(
      ctx,
      city,
      input.id,
      input.batchId,
      { status: 'superseded', reasonHash: input.reasonHash, replacementId: input.replacementId },
      () => assertOnLedger(ctx, city.id, input.replacementId, input.replacementBatchId, 'replacementId'),
    );
    await emitEvent(ctx, LEDGER_EVENTS.documentSuperseded, record, city.id);
    return jsonResult(record);
  }

  /** A document's anchor and/or status record, and its status in force. */
  @Transaction(false)
  @Returns('string')
  async GetDocument(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getDocumentInput, inputJson);
    const anchor = await readRecord<DocumentAnchorRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.document, [input.city, input.id]));
    const status = await readSealedRecord<DocumentStatusRecord>(
      ctx,
      compositeKey(ctx, OBJECT_TYPES.documentStatus, [input.city, input.id]),
      input.city,
    );
    if (!anchor && !status) throw new CodedError('NOT_FOUND', `document ${input.city}/${input.id} does not exist`);
    const view: DocumentView = { anchor, status, effectiveStatus: status?.status ?? 'active' };
    return jsonResult(view);
  }

  /** One batch record. */
  @Transaction(false)
  @Returns('string')
  async GetBatch(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getBatchInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.batch, [input.city, input.batchId]);
    return jsonResult(found(await readRecord<BatchRecord>(ctx, key), `batch ${input.city}/${input.batchId}`));
  }

  /** The document anchors of one subject, all cities, one page at a time (by city, then id). */
  @Transaction(false)
  @Returns('string')
  async ListDocumentsBySubject(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(listDocumentsBySubjectInput, inputJson);
    const page = await readPage(ctx, OBJECT_TYPES.documentBySubject, [input.subjectPseudonym], input, (entry) => {
      const [, city, id] = entry.attributes as [string, string, string];
      return readRecord<DocumentAnchorRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.document, [city, id]));
    });
    return jsonResult(page);
  }
}

/**
 * Refuses an anchor whose signing key is not a document key of the city
 * valid at the document's issue time.
 */
async function assertDocumentKey(ctx: Context, city: City, kid: string, issuedAt: string): Promise<void> {
  const signingKey = found(
    await readRecord<KeyRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.cityKey, [city.id, kid])),
    `key ${city.id}/${kid}`,
  );
  if (signingKey.use !== 'document') {
    throw new CodedError('INVALID_ARGUMENT', `kid: ${kid} is a ${signingKey.use} key; documents are signed with a document key`);
  }
  assertState(
    isKeyValidAt(signingKey, issuedAt),
    `key ${city.id}/${kid} is not valid at issuedAt ${issuedAt} (not yet valid, expired or revoked)`,
  );
}

/**
 * Records the issuer's status decision on one of its documents. A
 * document's status changes once: revoking or superseding it again is
 * refused.
 *
 * The document must be known to the ledger: anchored alone under `id`, or
 * in the batch `batchId`. The decision rewrites that anchor (its `status`)
 * or batch record (unchanged) besides writing the status record, so the
 * transaction needs the endorsement of the issuer's own peer, which the
 * key-level policy of those existing records demands.
 *
 * @throws CodedError `NOT_FOUND` when neither the anchor nor the batch exists, `INVALID_STATE` when the status was already decided.
 */
async function changeStatus(
  ctx: Context,
  city: City,
  id: string,
  batchId: string | undefined,
  change: Pick<DocumentStatusRecord, 'status' | 'reasonHash' | 'replacementId'>,
  /** Further checks, run once the document itself is known to allow the change. */
  check: () => Promise<void> = async () => undefined,
): Promise<DocumentStatusRecord> {
  const key = compositeKey(ctx, OBJECT_TYPES.documentStatus, [city.id, id]);
  // Only a status the city sealed counts: one other cities created in its name is written over.
  const existing = await readSealedRecord<DocumentStatusRecord>(ctx, key, city.id);
  assertState(existing === undefined, `document ${city.id}/${id} is already ${existing?.status}`);
  const anchorKey = compositeKey(ctx, OBJECT_TYPES.document, [city.id, id]);
  const anchor = await readRecord<DocumentAnchorRecord>(ctx, anchorKey);
  const batchKey = batchId === undefined ? undefined : compositeKey(ctx, OBJECT_TYPES.batch, [city.id, batchId]);
  const batch = batchKey === undefined ? undefined : found(await readRecord<BatchRecord>(ctx, batchKey), `batch ${city.id}/${batchId}`);
  if (!anchor && !batch) {
    throw new CodedError(
      'NOT_FOUND',
      `document ${city.id}/${id} is not anchored alone; for a document anchored in a batch, give its batchId`,
    );
  }
  await check();
  const txId = ctx.stub.getTxID();
  const record: DocumentStatusRecord = {
    city: city.id,
    id,
    status: change.status,
    reasonHash: change.reasonHash,
    replacementId: change.replacementId,
    batchId,
    at: txTimestamp(ctx),
    txId,
  };
  await writeSealedRecord(ctx, key, record, city);
  if (anchor)
    await writeRecord(ctx, anchorKey, { ...anchor, status: change.status, statusTxId: txId } satisfies DocumentAnchorRecord, city);
  if (batch && batchKey) await writeRecord(ctx, batchKey, batch, city);
  return record;
}
