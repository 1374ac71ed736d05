import { Context, Contract } from 'fabric-contract-api';
import {
  answerObjectionInput,
  createEntryInput,
  getEntryInput,
  LEDGER_EVENTS,
  queryEntriesBySubjectInput,
  registerObjectionInput,
  removeEntryInput,
  type CityId,
  type ListEntryRecord,
  type ListEntryRemoval,
  type ListEntryView,
  type ObjectionAnswerRecord,
  type ObjectionRecord,
} from '@jcc/domain';
import { Returns, Transaction } from '../lib/decorators.js';
import { emitEvent } from '../lib/events.js';
import { assertOwner, assertSameContent, assertState, found } from '../lib/guards.js';
import { parseInput } from '../lib/input.js';
import { compositeKey, OBJECT_TYPES } from '../lib/keys.js';
import { readAllKeys, readPage } from '../lib/pagination.js';
import { jsonResult } from '../lib/result.js';
import { readSealedRecord, writeSealedRecord } from '../lib/seal.js';
import { writeIndex } from '../lib/state.js';
import { submittingCity } from '../lib/submitter.js';
import { txTimestamp } from '../lib/txTime.js';

/** Fields of a list entry that must match for a re-creation to be idempotent. */
const ENTRY_CONTENT: readonly (keyof ListEntryRecord)[] = [
  'subjectPseudonym',
  'listType',
  'legalBasisHash',
  'measuresHash',
  'startDate',
  'endDate',
  'documentHash',
];

/** Fields of an objection that must match for a re-registration to be idempotent. */
const OBJECTION_CONTENT: readonly (keyof ObjectionRecord)[] = ['entryCity', 'entryId', 'groundsHash'];

/**
 * `listEntries`: joint reward/punishment list entries (联合奖惩名单), their
 * removal (移出: expiry, credit repair, objection upheld, court decision) and
 * objections (异议) raised through any city and answered by the issuing city.
 * History is never erased: a removed entry stays, marked removed. Free
 * text (legal basis, measures, notes, grounds, answers) never reaches the
 * ledger: it stays in the issuing gateway, and records hold its hash.
 */
export class ListEntriesContract extends Contract {
  constructor() {
    super('listEntries');
  }

  /** Lists a subject on a red, black or key-supervision list. Idempotent for the same content. */
  @Transaction()
  @Returns('string')
  async CreateEntry(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(createEntryInput, inputJson);
    const key = entryKey(ctx, city.id, input.id);
    const existing = await readSealedRecord<ListEntryRecord>(ctx, key, city.id);
    if (existing) {
      assertSameContent(existing, input, ENTRY_CONTENT, `list entry ${city.id}/${input.id}`);
      return jsonResult(existing);
    }
    const record: ListEntryRecord = {
      city: city.id,
      id: input.id,
      subjectPseudonym: input.subjectPseudonym,
      listType: input.listType,
      legalBasisHash: input.legalBasisHash,
      measuresHash: input.measuresHash,
      startDate: input.startDate,
      endDate: input.endDate,
      documentHash: input.documentHash,
      state: 'listed',
      createdAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    await writeSealedRecord(ctx, key, record, city);
    await writeIndex(ctx, compositeKey(ctx, OBJECT_TYPES.listEntryBySubject, [input.subjectPseudonym, city.id, input.id]), city);
    await emitEvent(ctx, LEDGER_EVENTS.listEntryCreated, record, city.id);
    return jsonResult(record);
  }

  /** Removes one of the submitting city's entries from its list; the entry stays, marked removed. */
  @Transaction()
  @Returns('string')
  async RemoveEntry(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(removeEntryInput, inputJson);
    const key = entryKey(ctx, city.id, input.id);
    const entry = found(await readSealedRecord<ListEntryRecord>(ctx, key, city.id), `list entry ${city.id}/${input.id}`);
    assertState(entry.state === 'listed', `list entry ${city.id}/${input.id} is already removed`);
    const removal: ListEntryRemoval = {
      reason: input.reason,
      noteHash: input.noteHash,
      evidenceHash: input.evidenceHash,
      at: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    const record: ListEntryRecord = { ...entry, state: 'removed', removal };
    await writeSealedRecord(ctx, key, record, city);
    await emitEvent(ctx, LEDGER_EVENTS.listEntryRemoved, record, city.id);
    return jsonResult(record);
  }

  /** Registers, in the submitting city's name, a subject's objection to a listed entry of any city. */
  @Transaction()
  @Returns('string')
  async RegisterObjection(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(registerObjectionInput, inputJson);
    const key = objectionKey(ctx, city.id, input.objectionId);
    const existing = await readSealedRecord<ObjectionRecord>(ctx, key, city.id);
    if (existing) {
      assertSameContent(existing, input, OBJECTION_CONTENT, `objection ${city.id}/${input.objectionId}`);
      return jsonResult(existing);
    }
    const entry = found(
      await readSealedRecord<ListEntryRecord>(ctx, entryKey(ctx, input.entryCity, input.entryId), input.entryCity),
      `list entry ${input.entryCity}/${input.entryId}`,
    );
    assertState(entry.state === 'listed', `list entry ${input.entryCity}/${input.entryId} is removed; there is nothing to object to`);
    const record: ObjectionRecord = {
      city: city.id,
      objectionId: input.objectionId,
      entryCity: input.entryCity,
      entryId: input.entryId,
      groundsHash: input.groundsHash,
      registeredAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    await writeSealedRecord(ctx, key, record, city);
    await writeIndex(
      ctx,
      compositeKey(ctx, OBJECT_TYPES.objectionByEntry, [input.entryCity, input.entryId, city.id, input.objectionId]),
      city,
    );
    await emitEvent(ctx, LEDGER_EVENTS.objectionRegistered, record, city.id);
    return jsonResult(record);
  }

  /**
   * Answers an objection to one of the submitting city's entries, once. An
   * upheld objection also removes the entry (reason `objectionUpheld`) when
   * it is still listed, in the same transaction.
   */
  @Transaction()
  @Returns('string')
  async AnswerObjection(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(answerObjectionInput, inputJson);
    const objection = found(
      await readSealedRecord<ObjectionRecord>(ctx, objectionKey(ctx, input.objectionCity, input.objectionId), input.objectionCity),
      `objection ${input.objectionCity}/${input.objectionId}`,
    );
    assertOwner(
      objection.entryCity,
      city.id,
      `list entry ${objection.entryCity}/${objection.entryId} (the subject of objection ${input.objectionCity}/${input.objectionId})`,
    );
    const answerKey = compositeKey(ctx, OBJECT_TYPES.objectionAnswer, [input.objectionCity, input.objectionId]);
    const earlier = await readSealedRecord<ObjectionAnswerRecord>(ctx, answerKey, city.id);
    assertState(earlier === undefined, `objection ${input.objectionCity}/${input.objectionId} is already answered (${earlier?.outcome})`);
    const key = entryKey(ctx, city.id, objection.entryId);
    const entry = found(await readSealedRecord<ListEntryRecord>(ctx, key, city.id), `list entry ${city.id}/${objection.entryId}`);
    const removesEntry = input.outcome === 'upheld' && entry.state === 'listed';
    const at = txTimestamp(ctx);
    const txId = ctx.stub.getTxID();
    const answer: ObjectionAnswerRecord = {
      city: city.id,
      objectionCity: input.objectionCity,
      objectionId: input.objectionId,
      entryId: objection.entryId,
      outcome: input.outcome,
      noteHash: input.noteHash,
      answerHash: input.answerHash,
      entryRemoved: removesEntry,
      answeredAt: at,
      txId,
    };
    await writeSealedRecord(ctx, answerKey, answer, city);
    // The entry is rewritten even when unchanged: its key-level policy then
    // makes every answer need the issuing city's own peer.
    const removal: ListEntryRemoval = { reason: 'objectionUpheld', noteHash: input.noteHash, evidenceHash: input.answerHash, at, txId };
    const updated: ListEntryRecord = removesEntry ? { ...entry, state: 'removed', removal } : entry;
    await writeSealedRecord(ctx, key, updated, city);
    await emitEvent(ctx, LEDGER_EVENTS.objectionAnswered, answer, city.id);
    return jsonResult(answer);
  }

  /** One entry, with every objection registered against it and their answers. */
  @Transaction(false)
  @Returns('string')
  async GetEntry(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getEntryInput, inputJson);
    const entry = found(
      await readSealedRecord<ListEntryRecord>(ctx, entryKey(ctx, input.city, input.id), input.city),
      `list entry ${input.city}/${input.id}`,
    );
    const objections: ListEntryView['objections'] = [];
    for (const indexEntry of await readAllKeys(ctx, OBJECT_TYPES.objectionByEntry, [input.city, input.id])) {
      const [, , registrar, objectionId] = indexEntry.attributes as [string, string, string, string];
      const objection = await readSealedRecord<ObjectionRecord>(
        ctx,
        compositeKey(ctx, OBJECT_TYPES.objection, [registrar, objectionId]),
        registrar as CityId,
      );
      if (!objection) continue;
      const answer = await readSealedRecord<ObjectionAnswerRecord>(
        ctx,
        compositeKey(ctx, OBJECT_TYPES.objectionAnswer, [registrar, objectionId]),
        input.city,
      );
      objections.push({ ...objection, answer });
    }
    const view: ListEntryView = { ...entry, objections };
    return jsonResult(view);
  }

  /** The list entries of one subject, all cities, one page at a time (by city, then id). */
  @Transaction(false)
  @Returns('string')
  async QueryEntriesBySubject(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(queryEntriesBySubjectInput, inputJson);
    const page = await readPage(ctx, OBJECT_TYPES.listEntryBySubject, [input.subjectPseudonym], input, (entry) => {
      const [, city, id] = entry.attributes as [string, CityId, string];
      return readSealedRecord<ListEntryRecord>(ctx, entryKey(ctx, city, id), city);
    });
    return jsonResult(page);
  }
}

/** Primary key of a list entry. */
function entryKey(ctx: Context, city: CityId, id: string): string {
  return compositeKey(ctx, OBJECT_TYPES.listEntry, [city, id]);
}

/** Primary key of an objection. */
function objectionKey(ctx: Context, registrar: CityId, objectionId: string): string {
  return compositeKey(ctx, OBJECT_TYPES.objection, [registrar, objectionId]);
}
