import type { Context } from 'fabric-contract-api';
import type { BatchRecord, CityId, DocumentAnchorRecord, DocumentStatusRecord } from '@jcc/domain';
import { UnknownReferenceError } from './guards.js';
import { compositeKey, OBJECT_TYPES } from './keys.js';
import { readRecord } from './state.js';

/**
 * Refuses a reference to a document of `city` the ledger does not hold:
 * neither anchored alone (or given a status), nor recorded as an evaluation
 * or list entry of that city under this id, nor in the batch named. (A
 * batch holds only its root: naming an existing batch is all the ledger can
 * check of a batch-anchored document.)
 *
 * @throws UnknownReferenceError (`UNKNOWN_REFERENCE`) naming `field`.
 */
export async function assertOnLedger(ctx: Context, city: CityId, id: string, batchId: string | undefined, field: string): Promise<void> {
  for (const type of [OBJECT_TYPES.document, OBJECT_TYPES.documentStatus, OBJECT_TYPES.evaluation, OBJECT_TYPES.listEntry] as const)
    if (await readRecord<DocumentAnchorRecord | DocumentStatusRecord>(ctx, compositeKey(ctx, type, [city, id]))) return;
  if (batchId !== undefined && (await readRecord<BatchRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.batch, [city, batchId])))) return;
  throw new UnknownReferenceError(
    field,
    batchId === undefined
      ? `document ${city}/${id} is not on the ledger (for a document anchored in a batch, name its batch)`
      : `document ${city}/${id} is not on the ledger and batch ${city}/${batchId} does not exist`,
  );
}
