import { LEDGER_EVENTS } from '@jcc/domain';
import type { WriteOp } from '../store/table.js';
import { projectListEvent } from './list-projections.js';
import type { IndexTables } from './tables.js';

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
export async function projectEvent(tables: IndexTables, event: LedgerEvent): Promise<WriteOp[]> {
  return [...(await projectLedgerEvent(tables, event)), ...(await projectListEvent(tables, tables.recognitions, event))];
}

async function projectLedgerEvent(tables: IndexTables, event: LedgerEvent): Promise<WriteOp[]> {
  const p = event.payload;
  const located = { ...p, blockNumber: event.blockNumber } as never;
  const str = (name: string): string => String(p[name] ?? '');
  switch (event.name) {
    case LEDGER_EVENTS.cityKeyRegistered:
    case LEDGER_EVENTS.cityKeyRevoked: {
      const key = `${str('city')}|${str('kid')}`;
      const existing = await tables.keys.get(key);
      // A revocation event carries the revoking transaction as txId; keep the registration's.
      const merged =
        existing && event.name === LEDGER_EVENTS.cityKeyRevoked ? { ...existing, ...p, txId: existing.txId, revokedTxId: p.txId } : located;
      return [tables.keys.putOp(key, merged as never)];
    }
    case LEDGER_EVENTS.cityGatewayUrlSet:
      return [
        tables.cities.putOp(str('city'), { gatewayUrl: str('gatewayUrl') || str('url'), updatedAt: str('updatedAt'), txId: str('txId') }),
      ];
    case LEDGER_EVENTS.documentAnchored:
      return [tables.anchors.putOp(`${str('city')}|${str('id')}`, located)];
    case LEDGER_EVENTS.batchAnchored:
      return [
        tables.batches.putOp(`${str('city')}|${str('batchId')}`, located),
        tables.batchRoots.putOp(`${str('city')}|${str('root')}`, str('batchId')),
      ];
    case LEDGER_EVENTS.documentRevoked:
    case LEDGER_EVENTS.documentSuperseded:
      return [tables.statuses.putOp(`${str('city')}|${str('id')}`, located)];
    case LEDGER_EVENTS.agreementProposed:
    case LEDGER_EVENTS.agreementAccepted:
    case LEDGER_EVENTS.agreementEnded: {
      const id = str('agreementId');
      const existing = await tables.agreements.get(id);
      const { city: _city, txId: _txId, ...record } = p;
      return [tables.agreements.putOp(id, { ...(existing ?? {}), ...record, blockNumber: event.blockNumber } as never)];
    }
    case LEDGER_EVENTS.recognitionRecorded:
      return [tables.recognitions.putOp(`${str('city')}|${str('issuerCity')}|${str('documentId')}`, located)];
    default:
      return [];
  }
}
