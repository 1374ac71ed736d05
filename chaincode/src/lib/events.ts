import type { Context } from 'fabric-contract-api';
import { canonicalJsonBytes, type CityId, type LedgerEventName } from '@jcc/domain';

/**
 * Emits the transaction's chaincode event. Fabric keeps one event per
 * transaction, so each write transaction calls this exactly once, after its
 * last write; an idempotent no-op never calls it.
 *
 * The payload is the canonical JSON of `{...record, city, txId}`: `city` is
 * the submitting city and `txId` this transaction.
 */
export function emitEvent(ctx: Context, name: LedgerEventName, record: object, city: CityId): void {
  const payload = { ...record, city, txId: ctx.stub.getTxID() };
  ctx.stub.setEvent(name, canonicalJsonBytes(payload));
}
