import type { Context } from 'fabric-contract-api';
import { canonicalJsonBytes, type CityId, type LedgerEventName } from '@jcc/domain';
import { sealEvent } from './seal.js';

/**
 * Emits the transaction's chaincode event, and seals it as the submitting
 * city's (`seal.ts`): readers that learn of the event from the event stream
 * alone (a gateway's index) count it only when the seal matches, which
 * takes the city's own peer. Fabric keeps one event per transaction, so each
 * write transaction calls this exactly once, after its last write; an
 * idempotent no-op never calls it.
 *
 * The payload is the canonical JSON of `{...record, city, txId}`: `city` is
 * the submitting city and `txId` this transaction.
 */
export async function emitEvent(ctx: Context, name: LedgerEventName, record: object, city: CityId): Promise<void> {
  const payload = canonicalJsonBytes({ ...record, city, txId: ctx.stub.getTxID() });
  ctx.stub.setEvent(name, payload);
  await sealEvent(ctx, city, payload);
}
