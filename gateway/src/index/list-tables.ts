import type {
  AgencyRecord,
  EvaluationRecord,
  ListEntryRecord,
  ObjectionAnswerRecord,
  ObjectionRecord,
  SupervisionRecord,
} from '@jcc/domain';
import type { Located } from '../fabric/records.js';
import type { Store } from '../store/store.js';
import type { Table } from '../store/table.js';

/**
 * The index tables behind the users' lists (list entries, objections,
 * evaluations, recognitions by issuer, agencies and their search terms).
 * Like the rest of the index they are projections of the chaincode events
 * (see `list-projections.ts`), emptied and rebuilt with it.
 *
 * `*Order` tables are sort indexes: their keys sort in the order a list is
 * served (read in reverse for newest first) and their values are the primary
 * key of the record. Each key starts with a scope prefix (`all|`,
 * `c:<city>|`, ...) so that a scoped list is one key range, never a scan of
 * everything.
 */

/** A list entry as the index keeps it: the ledger record, its block, and how many objections it drew. */
export type IndexedEntry = Located<ListEntryRecord>;

/** An objection with its answer, once answered. */
export type IndexedObjection = Located<ObjectionRecord> & { answer?: ObjectionAnswerRecord };

/**
 * An evaluation. Single recordings carry the whole record; a bulk
 * transaction's event (`EvaluationsRecorded`) carries only the ids, so such an
 * evaluation starts as a stub and is completed from the ledger the first time
 * a list reads it.
 */
export type IndexedEvaluation =
  | (Located<EvaluationRecord> & { stub?: false })
  | { stub: true; city: EvaluationRecord['city']; id: string; txId: string; blockNumber: number };

/** An agency with its newest supervision records (newest first). */
export type IndexedAgency = Located<AgencyRecord> & { supervision: SupervisionRecord[] };

/** The list tables of the index. */
export interface ListTables {
  /** `<city>|<id>`. */
  entries: Table<IndexedEntry>;
  /** `all|<createdAt>|<city>|<id>`, `c:<city>|<createdAt>|<id>` → `<city>|<id>`. */
  entryOrder: Table<string>;
  /** `<registering city>|<objectionId>`. */
  objections: Table<IndexedObjection>;
  /**
   * `all|<registeredAt>|<registrar>|<objectionId>`, `e:<entry city>|<registeredAt>|<registrar>|<objectionId>`,
   * `x:<entry city>|<entry id>|<registrar>|<objectionId>` → `<registrar>|<objectionId>`.
   */
  objectionOrder: Table<string>;
  /** `<city>|<id>`. */
  evaluations: Table<IndexedEvaluation>;
  /** `all|<block>|<city>|<id>`, `c:<city>|<block>|<id>` → `<city>|<id>`. */
  evaluationOrder: Table<string>;
  /**
   * `all|<block>|<recogniser>|<issuer>|<doc>`, `i:<issuer>|<block>|<recogniser>|<doc>`,
   * `r:<recogniser>|<block>|<issuer>|<doc>` → the key of the recognition in the index's `recognitions` table.
   */
  recognitionOrder: Table<string>;
  /** USCC → the agency. */
  agencies: Table<IndexedAgency>;
  /** `<term>|<uscc>` → 1: the inverted index of agency names (character unigrams and bigrams). */
  agencyTerms: Table<1>;
}

/** Opens the list tables in the store. */
export function listTables(store: Store): ListTables {
  return {
    entries: store.table('ix.entries'),
    entryOrder: store.table('ix.entryOrder'),
    objections: store.table('ix.objections'),
    objectionOrder: store.table('ix.objectionOrder'),
    evaluations: store.table('ix.evaluations'),
    evaluationOrder: store.table('ix.evaluationOrder'),
    recognitionOrder: store.table('ix.recognitionOrder'),
    agencies: store.table('ix.agencies'),
    agencyTerms: store.table('ix.agencyTerms'),
  };
}

/**
 * Version of the list projections. An index built by an earlier version (or
 * before the lists existed) lacks their tables' records for the events it
 * already applied, so it is emptied and rebuilt from the ledger's first block
 * (see {@link ensureListProjections}). Version 2 indexes evaluation chunks
 * per chunk (columns and subject buckets, `evaluation-chunks.ts`) instead of
 * per record.
 */
export const LIST_PROJECTION_VERSION = 2;

/**
 * Empties the index when its list tables were built by another projection
 * version (or none) than {@link LIST_PROJECTION_VERSION}, so that it is rebuilt
 * from the first block, and records the version. The version lives outside
 * the index tables, which a ledger reset empties. Returns whether it emptied.
 */
export async function ensureListProjections(store: Store, hasEvents: boolean, clear: () => Promise<void>): Promise<boolean> {
  const versions = store.table<number>('ix.listsVersion');
  if ((await versions.get('version')) === LIST_PROJECTION_VERSION) return false;
  if (hasEvents) await clear();
  await versions.put('version', LIST_PROJECTION_VERSION);
  return hasEvents;
}
