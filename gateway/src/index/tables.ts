import type { CityId } from '@jcc/domain';
import type {
  AgreementView,
  BatchRecord,
  DocumentAnchorRecord,
  DocumentStatusRecord,
  KeyRecord,
  Located,
  RecognitionRecord,
} from '../fabric/records.js';
import type { Store } from '../store/store.js';
import type { Table } from '../store/table.js';
import { evaluationChunkTables, type EvaluationChunkTables } from './evaluation-chunks.js';
import { listTables, type ListTables } from './list-tables.js';

/** One chaincode event as the index keeps it for audit. */
export interface AuditEvent {
  /** Position in the index's event log (1-based, gap-free). */
  seq: number;
  blockNumber: number;
  transactionId: string;
  name: string;
  /** The submitting city (from the payload). */
  city: CityId | undefined;
  payload: Record<string, unknown>;
}

/** Where the index stopped: the last applied event. */
export interface IndexCheckpoint {
  blockNumber: string;
  transactionId: string;
  seq: number;
}

/** The index's tables (with those of the users' lists, {@link ListTables}). Keys join their parts with `|`. */
export interface IndexTables extends ListTables, EvaluationChunkTables {
  keys: Table<Located<KeyRecord>>;
  anchors: Table<Located<DocumentAnchorRecord>>;
  statuses: Table<Located<DocumentStatusRecord>>;
  batches: Table<Located<BatchRecord>>;
  /** `<city>|<root>` → batchId. */
  batchRoots: Table<string>;
  cities: Table<{ gatewayUrl: string; updatedAt?: string; txId: string }>;
  agreements: Table<Located<AgreementView>>;
  /** `<recognising city>|<issuer city>|<document id>`. */
  recognitions: Table<Located<RecognitionRecord>>;
  events: Table<AuditEvent>;
  meta: Table<IndexCheckpoint>;
  /** `ledger` → the identity of the ledger the index was built from. */
  ledger: Table<string>;
}

/** Opens the index's tables in the store. */
export function indexTables(store: Store): IndexTables {
  return {
    keys: store.table('ix.keys'),
    anchors: store.table('ix.anchors'),
    statuses: store.table('ix.statuses'),
    batches: store.table('ix.batches'),
    batchRoots: store.table('ix.batchRoots'),
    cities: store.table('ix.cities'),
    agreements: store.table('ix.agreements'),
    recognitions: store.table('ix.recognitions'),
    events: store.table('ix.events'),
    meta: store.table('ix.meta'),
    ledger: store.table('ix.ledger'),
    ...listTables(store),
    ...evaluationChunkTables(store),
  };
}

/** Removes everything the index holds (the ledger it was built from is gone). */
export async function clearIndex(store: Store, tables: IndexTables): Promise<void> {
  for (const table of Object.values(tables) as Array<Table<unknown>>) {
    const ops = [];
    for await (const key of table.keys()) {
      ops.push(table.delOp(key));
      if (ops.length >= 5000) await store.write(ops.splice(0));
    }
    await store.write(ops);
  }
}

/** Key of an audit event: its sequence number, zero-padded. */
export function eventKey(seq: number): string {
  return String(seq).padStart(16, '0');
}
