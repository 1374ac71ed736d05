import type { Context } from 'fabric-contract-api';
import type { BatchRecord, CityId, DocumentAnchorRecord } from '@jcc/domain';
import { UnknownReferenceError } from './guards.js';
import { compositeKey, OBJECT_TYPES } from './keys.js';
import { readSealedRecord } from './seal.js';
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
  if (await readRecord<DocumentAnchorRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.document, [city, id]))) return;
  // Records without a signature of their own count only when the city sealed them.
  for (const type of [OBJECT_TYPES.documentStatus, OBJECT_TYPES.evaluation, OBJECT_TYPES.listEntry] as const)
    if (await readSealedRecord(ctx, compositeKey(ctx, type, [city, id]), city)) return;
  if (batchId !== undefined && (await readRecord<BatchRecord>(ctx, compositeKey(ctx, OBJECT_TYPES.batch, [city, batchId])))) return;
  throw new UnknownReferenceError(
    field,
    batchId === undefined
      ? `document ${city}/${id} is not on the ledger (for a document anchored in a batch, name its batch)`
      : `document ${city}/${id} is not on the ledger and batch ${city}/${batchId} does not exist`,
  );
}
