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
import type { IndexTables } from '../index/tables.js';
import type { Table, WriteOp } from '../store/table.js';

/** The index tables verification reads, kept in memory (keys as in {@link IndexTables}). */
export const VERIFY_TABLES = ['keys', 'anchors', 'statuses', 'batches', 'agreements', 'recognitions', 'cities'] as const;
/** One of {@link VERIFY_TABLES}. */
export type VerifyTableName = (typeof VERIFY_TABLES)[number];

/** The value type of each verification table. */
export interface VerifyTableValues {
  keys: Located<KeyRecord>;
  anchors: Located<DocumentAnchorRecord>;
  statuses: Located<DocumentStatusRecord>;
  batches: Located<BatchRecord>;
  agreements: Located<AgreementView>;
  recognitions: Located<RecognitionRecord>;
  cities: { gatewayUrl: string; updatedAt?: string; txId: string };
}

/** The maps of {@link MemoryTables}, structured-cloneable (sent as is to verification workers). */
export type VerifyMaps = { [K in VerifyTableName]: Map<string, VerifyTableValues[K]> };

/** One write to a verification table: a put, or a delete when `value` is absent. Structured-cloneable. */
export interface TableChange {
  table: VerifyTableName;
  key: string;
  value?: unknown;
}

/**
 * The index tables verification reads (keys, anchors, statuses, batches,
 * agreements, recognitions, city URLs), held in memory: loaded once from the
 * store, then kept current with the writes the event index commits (each
 * event's writes applied as one step, right after the store took them), so a
 * verification reads plain maps instead of LevelDB. Copies of it in
 * verification workers receive the same changes in the same order.
 */
export class MemoryTables {
  readonly maps: VerifyMaps;

  constructor(maps?: VerifyMaps) {
    this.maps = maps ?? (Object.fromEntries(VERIFY_TABLES.map((t) => [t, new Map()])) as VerifyMaps);
  }

  /** Reads every verification table of the index from the store. */
  static async load(tables: IndexTables): Promise<MemoryTables> {
    const memory = new MemoryTables();
    for (const name of VERIFY_TABLES) {
      const map = memory.maps[name] as Map<string, unknown>;
      for await (const [key, value] of (tables[name] as Table<unknown>).entries()) map.set(key, value);
    }
    return memory;
  }

  /** The changes that `ops` (one event's committed writes) make to the verification tables; other tables' writes are left out. */
  static changesOf(tables: IndexTables, ops: readonly WriteOp[]): TableChange[] {
    const out: TableChange[] = [];
    for (const op of ops) {
      const table = VERIFY_TABLES.find((name) => (tables[name] as Table<unknown>).owns(op));
      if (!table) continue;
      out.push(op.type === 'put' ? { table, key: op.key, value: op.value } : { table, key: op.key });
    }
    return out;
  }

  /** Applies changes in order. */
  apply(changes: readonly TableChange[]): void {
    for (const change of changes) {
      const map = this.maps[change.table] as Map<string, unknown>;
      if (change.value === undefined) map.delete(change.key);
      else map.set(change.key, change.value);
    }
  }

  /** Empties every table (the index was emptied). */
  clear(): void {
    for (const name of VERIFY_TABLES) this.maps[name].clear();
  }

  /** Number of records held, by table. */
  sizes(): Record<VerifyTableName, number> {
    return Object.fromEntries(VERIFY_TABLES.map((t) => [t, this.maps[t].size])) as Record<VerifyTableName, number>;
  }

  key(city: CityId, kid: string): Located<KeyRecord> | undefined {
    return this.maps.keys.get(`${city}|${kid}`);
  }

  anchor(city: CityId, id: string): Located<DocumentAnchorRecord> | undefined {
    return this.maps.anchors.get(`${city}|${id}`);
  }

  status(city: CityId, id: string): Located<DocumentStatusRecord> | undefined {
    return this.maps.statuses.get(`${city}|${id}`);
  }

  batch(city: CityId, batchId: string): Located<BatchRecord> | undefined {
    return this.maps.batches.get(`${city}|${batchId}`);
  }

  recognitionRecord(recognisingCity: CityId, issuerCity: CityId, documentId: string): Located<RecognitionRecord> | undefined {
    return this.maps.recognitions.get(`${recognisingCity}|${issuerCity}|${documentId}`);
  }

  agreements(): IterableIterator<Located<AgreementView>> {
    return this.maps.agreements.values();
  }

  gatewayUrl(city: CityId): string | undefined {
    return this.maps.cities.get(city)?.gatewayUrl || undefined;
  }
}
