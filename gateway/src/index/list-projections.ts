import {
  LEDGER_EVENTS,
  type AgencyRecord,
  type CityId,
  type EvaluationRecord,
  type ListEntryRecord,
  type ObjectionAnswerRecord,
  type ObjectionRecord,
  type RecognitionRecord,
  type SupervisionRecord,
} from '@jcc/domain';
import { padNumber } from '../lib/ordered-key.js';
import type { WriteOp } from '../store/table.js';
import { nameTerms, normaliseName } from './agency-terms.js';
import type { IndexedAgency, IndexedEntry, IndexedObjection, ListTables } from './list-tables.js';
import type { LedgerEvent } from './projections.js';

/** Supervision records kept with an indexed agency (newest first). */
export const AGENCY_SUPERVISION_KEPT = 20;

/** The part of the index {@link projectListEvent} reads besides its own tables. */
export interface RecognitionLookup {
  get(key: string): Promise<{ blockNumber: number } | undefined>;
}

/** The order keys of a list entry. */
export function entryOrderKeys(entry: Pick<ListEntryRecord, 'city' | 'id' | 'createdAt'>): string[] {
  return [`all|${entry.createdAt}|${entry.city}|${entry.id}`, `c:${entry.city}|${entry.createdAt}|${entry.id}`];
}

/** The order keys of an objection. */
export function objectionOrderKeys(o: Pick<ObjectionRecord, 'city' | 'objectionId' | 'entryCity' | 'entryId' | 'registeredAt'>): string[] {
  return [
    `all|${o.registeredAt}|${o.city}|${o.objectionId}`,
    `e:${o.entryCity}|${o.registeredAt}|${o.city}|${o.objectionId}`,
    `x:${o.entryCity}|${o.entryId}|${o.city}|${o.objectionId}`,
  ];
}

/** The key range of `objectionOrder` holding the objections of one entry. */
export function objectionsOfEntryRange(entryCity: string, entryId: string): { gte: string; lt: string } {
  return { gte: `x:${entryCity}|${entryId}|`, lt: `x:${entryCity}|${entryId}|\uffff` };
}

/** The order keys of an evaluation. */
export function evaluationOrderKeys(city: string, id: string, blockNumber: number): string[] {
  const block = padNumber(blockNumber);
  return [`all|${block}|${city}|${id}`, `c:${city}|${block}|${id}`];
}

/** The order keys of a recognition decision (recognising city, issuer city, document, block). */
export function recognitionOrderKeys(recogniser: string, issuer: string, documentId: string, blockNumber: number): string[] {
  const block = padNumber(blockNumber);
  return [
    `all|${block}|${recogniser}|${issuer}|${documentId}`,
    `i:${issuer}|${block}|${recogniser}|${documentId}`,
    `r:${recogniser}|${block}|${issuer}|${documentId}`,
  ];
}

/**
 * The list-table writes one chaincode event causes. Reads see the index as it
 * was before the event (the writes are committed together with the event's
 * checkpoint by the event index).
 *
 * An upheld objection is one transaction that answers the objection and
 * removes the entry, and it emits only `ObjectionAnswered`; the entry is
 * marked removed here from that answer (`entryRemoved`), exactly as the
 * chaincode rewrote it.
 */
export async function projectListEvent(tables: ListTables, recognitions: RecognitionLookup, event: LedgerEvent): Promise<WriteOp[]> {
  const p = event.payload;
  const blockNumber = event.blockNumber;
  const { city: _submitter, ...withoutCity } = p;
  switch (event.name) {
    case LEDGER_EVENTS.listEntryCreated:
    case LEDGER_EVENTS.listEntryRemoved: {
      const entry = { ...(p as unknown as ListEntryRecord), blockNumber } as IndexedEntry;
      const key = `${entry.city}|${entry.id}`;
      const existing = await tables.entries.get(key);
      // The event's txId is the writing transaction; the record's own txId and block are its creation's.
      const record: IndexedEntry = existing ? { ...entry, txId: existing.txId, blockNumber: existing.blockNumber } : entry;
      const ops = [tables.entries.putOp(key, record)];
      if (!existing) for (const k of entryOrderKeys(entry)) ops.push(tables.entryOrder.putOp(k, key));
      return ops;
    }
    case LEDGER_EVENTS.objectionRegistered: {
      const objection = { ...(p as unknown as ObjectionRecord), blockNumber } as IndexedObjection;
      const key = `${objection.city}|${objection.objectionId}`;
      if (await tables.objections.get(key)) return [];
      return [tables.objections.putOp(key, objection), ...objectionOrderKeys(objection).map((k) => tables.objectionOrder.putOp(k, key))];
    }
    case LEDGER_EVENTS.objectionAnswered: {
      const answer = p as unknown as ObjectionAnswerRecord;
      const ops: WriteOp[] = [];
      const key = `${answer.objectionCity}|${answer.objectionId}`;
      const objection = await tables.objections.get(key);
      // Only the city whose entry the objection is against answers it.
      if (objection && objection.entryCity === answer.city) ops.push(tables.objections.putOp(key, { ...objection, answer }));
      if (answer.entryRemoved) {
        const entryKey = `${answer.city}|${answer.entryId}`;
        const entry = await tables.entries.get(entryKey);
        if (entry && entry.state === 'listed') {
          const removal = {
            reason: 'objectionUpheld' as const,
            noteHash: answer.noteHash,
            ...(answer.answerHash ? { evidenceHash: answer.answerHash } : {}),
            at: answer.answeredAt,
            txId: answer.txId,
          };
          ops.push(tables.entries.putOp(entryKey, { ...entry, state: 'removed', removal }));
        }
      }
      return ops;
    }
    case LEDGER_EVENTS.evaluationRecorded: {
      const record = p as unknown as EvaluationRecord;
      const key = `${record.city}|${record.id}`;
      if (await tables.evaluations.get(key)) return [];
      return [
        tables.evaluations.putOp(key, { ...record, blockNumber }),
        ...evaluationOrderKeys(record.city, record.id, blockNumber).map((k) => tables.evaluationOrder.putOp(k, key)),
      ];
    }
    case LEDGER_EVENTS.evaluationsRecorded: {
      const city = String(p.city) as CityId;
      const ids = Array.isArray(p.ids) ? p.ids.filter((id): id is string => typeof id === 'string') : [];
      const keys = ids.map((id) => `${city}|${id}`);
      const existing = await tables.evaluations.getMany(keys);
      const ops: WriteOp[] = [];
      ids.forEach((id, i) => {
        if (existing[i]) return;
        ops.push(tables.evaluations.putOp(keys[i]!, { stub: true, city, id, txId: String(p.txId ?? ''), blockNumber }));
        for (const k of evaluationOrderKeys(city, id, blockNumber)) ops.push(tables.evaluationOrder.putOp(k, keys[i]!));
      });
      return ops;
    }
    case LEDGER_EVENTS.recognitionRecorded: {
      const record = p as unknown as RecognitionRecord;
      const key = `${record.city}|${record.issuerCity}|${record.documentId}`;
      const earlier = await recognitions.get(key);
      const ops: WriteOp[] = [];
      if (earlier)
        for (const k of recognitionOrderKeys(record.city, record.issuerCity, record.documentId, earlier.blockNumber))
          ops.push(tables.recognitionOrder.delOp(k));
      for (const k of recognitionOrderKeys(record.city, record.issuerCity, record.documentId, blockNumber))
        ops.push(tables.recognitionOrder.putOp(k, key));
      return ops;
    }
    case LEDGER_EVENTS.agencyFiled:
    case LEDGER_EVENTS.agencyStatusChanged:
    case LEDGER_EVENTS.agencyAllianceChanged: {
      const record = { ...(p as unknown as AgencyRecord), city: p.city as CityId };
      const existing = await tables.agencies.get(record.uscc);
      const ops: WriteOp[] = [];
      const oldTerms = existing ? new Set(nameTerms(normaliseName(existing.name))) : new Set<string>();
      const newTerms = new Set(nameTerms(normaliseName(record.name)));
      for (const t of oldTerms) if (!newTerms.has(t)) ops.push(tables.agencyTerms.delOp(`${t}|${record.uscc}`));
      for (const t of newTerms) if (!oldTerms.has(t)) ops.push(tables.agencyTerms.putOp(`${t}|${record.uscc}`, 1));
      const agency: IndexedAgency = { ...record, blockNumber, supervision: existing?.supervision ?? [] };
      ops.push(tables.agencies.putOp(record.uscc, agency));
      return ops;
    }
    case LEDGER_EVENTS.supervisionRecorded: {
      const record = { ...(withoutCity as unknown as SupervisionRecord), city: p.city as CityId };
      const agency = await tables.agencies.get(record.uscc);
      if (!agency) return [];
      const supervision = [record, ...agency.supervision.filter((r) => r.actionId !== record.actionId || r.city !== record.city)].slice(
        0,
        AGENCY_SUPERVISION_KEPT,
      );
      return [tables.agencies.putOp(record.uscc, { ...agency, supervision })];
    }
    default:
      return [];
  }
}
