import { LEDGER_EVENTS, type CityId } from '@jcc/domain';
import type { KeyRecord } from '../fabric/records.js';
import type { WriteOp } from '../store/table.js';
import { projectEvaluationChunk, type ChunkLoader } from './evaluation-chunks.js';
import { projectListEvent } from './list-projections.js';
import { recordKey, type IndexTables } from './tables.js';

/**
 * A city's key as the chaincode on this city's own peer returns it
 * (`cities:GetKey`), which only returns a key the city's key set vouches
 * for; `undefined` when it does not.
 */
export type TrustedKeyLookup = (city: CityId, kid: string) => Promise<KeyRecord | undefined>;

/** What the projections read from this city's own peer, instead of trusting an event's payload. */
export interface PeerLookups {
  trustedKey: TrustedKeyLookup;
  loadChunk?: ChunkLoader;
}

/** A decoded chaincode event. */
export interface LedgerEvent {
  name: string;
  blockNumber: number;
  transactionId: string;
  payload: Record<string, unknown>;
}

/**
 * The index writes one event causes, besides the audit log and checkpoint.
 * `current` reads what the index already holds (for records that events
 * update piecemeal, like agreements). The tables of the users' lists are
 * projected by {@link projectListEvent}.
 */
export async function projectEvent(tables: IndexTables, event: LedgerEvent, peer: PeerLookups): Promise<WriteOp[]> {
  return [
    ...(await projectLedgerEvent(tables, event, peer)),
    ...(await projectListEvent(tables, tables.recognitions, event)),
    ...(peer.loadChunk ? await projectEvaluationChunk(tables, event, peer.loadChunk) : []),
  ];
}

async function projectLedgerEvent(tables: IndexTables, event: LedgerEvent, peer: PeerLookups): Promise<WriteOp[]> {
  const { trustedKey } = peer;
  const p = event.payload;
  const located = { ...p, blockNumber: event.blockNumber } as never;
  const str = (name: string): string => String(p[name] ?? '');
  switch (event.name) {
    case LEDGER_EVENTS.cityKeyRegistered:
    case LEDGER_EVENTS.cityKeyRotated:
    case LEDGER_EVENTS.cityKeyRevoked: {
      // A key event is a valid transaction, but two other cities running a modified chaincode can commit
      // one in a city's name (its payload says whatever they like). The key is projected only as this
      // peer's genuine chaincode returns it: listed in the city's key set, which needs the city's own peer.
      const city = str('city') as CityId;
      const previous = p.previous as { kid?: unknown } | undefined;
      const kids = [str('kid'), ...(typeof previous?.kid === 'string' ? [previous.kid] : [])];
      const ops: WriteOp[] = [];
      for (const kid of kids) {
        const record = await trustedKey(city, kid);
        ops.push(
          record
            ? tables.keys.putOp(recordKey(city, kid), { ...record, blockNumber: event.blockNumber })
            : tables.keys.delOp(recordKey(city, kid)),
        );
      }
      return ops;
    }
    case LEDGER_EVENTS.cityGatewayUrlSet:
      return [
        tables.cities.putOp(str('city'), { gatewayUrl: str('gatewayUrl') || str('url'), updatedAt: str('updatedAt'), txId: str('txId') }),
      ];
    case LEDGER_EVENTS.documentAnchored:
      return [tables.anchors.putOp(recordKey(str('city'), str('id')), located)];
    case LEDGER_EVENTS.batchAnchored:
      return [
        tables.batches.putOp(recordKey(str('city'), str('batchId')), located),
        tables.batchRoots.putOp(recordKey(str('city'), str('root')), str('batchId')),
      ];
    case LEDGER_EVENTS.documentRevoked:
    case LEDGER_EVENTS.documentSuperseded:
      return [tables.statuses.putOp(recordKey(str('city'), str('id')), located)];
    case LEDGER_EVENTS.agreementProposed:
    case LEDGER_EVENTS.agreementAccepted:
    case LEDGER_EVENTS.agreementEnded: {
      const id = str('agreementId');
      const existing = await tables.agreements.get(id);
      // The event is the submitting city's own (sealed), but an agreement is two cities': only its proposer
      // proposes it, only its counterparty accepts it, and only a party ends it.
      const parties = (existing ?? p) as { proposer?: unknown; counterparty?: unknown };
      const city = str('city');
      const allowed =
        event.name === LEDGER_EVENTS.agreementProposed
          ? city === parties.proposer
          : event.name === LEDGER_EVENTS.agreementAccepted
            ? city === parties.counterparty
            : city === parties.proposer || city === parties.counterparty;
      if (!allowed) return [];
      const { city: _city, txId: _txId, ...record } = p;
      return [tables.agreements.putOp(id, { ...(existing ?? {}), ...record, blockNumber: event.blockNumber } as never)];
    }
    case LEDGER_EVENTS.recognitionRecorded:
      return [tables.recognitions.putOp(recordKey(str('city'), str('issuerCity'), str('documentId')), located)];
    default:
      return [];
  }
}
