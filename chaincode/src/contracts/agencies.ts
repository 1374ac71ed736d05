import { Context, Contract } from 'fabric-contract-api';
import {
  CodedError,
  fileAgencyInput,
  getAgencyInput,
  LEDGER_EVENTS,
  listAgenciesInput,
  recordSupervisionInput,
  setAgencyStatusInput,
  setAllianceMembershipInput,
  type AgencyRecord,
  type AgencyStatus,
  type AgencyView,
  type City,
  type CityId,
  type SupervisionRecord,
} from '@jcc/domain';
import { Returns, Transaction } from '../lib/decorators.js';
import { emitEvent } from '../lib/events.js';
import { assertOwner, assertSameContent, assertState, found } from '../lib/guards.js';
import { parseInput } from '../lib/input.js';
import { compositeKey, OBJECT_TYPES, reverseTimeAttribute, type ObjectType } from '../lib/keys.js';
import { readPage, type KeyedValue } from '../lib/pagination.js';
import { jsonResult } from '../lib/result.js';
import { readSealedRecord, sealedRecordOf, writeSealedRecord } from '../lib/seal.js';
import { deleteIndex, writeIndex } from '../lib/state.js';
import { submittingCity } from '../lib/submitter.js';
import { txMillis, txTimestamp } from '../lib/txTime.js';

/** Most supervision records `GetAgency` returns (the newest). */
export const MAX_SUPERVISION_IN_VIEW = 100;

/** Fields of a supervision record that must match for a re-recording to be idempotent. */
const SUPERVISION_CONTENT: readonly (keyof SupervisionRecord)[] = ['action', 'summaryHash', 'date'];

/**
 * `agencies`: the five-city registry of credit-service agencies
 * (信用服务机构名单库). An agency is filed by one city, which alone changes its
 * status and alliance membership; any city records supervision actions
 * (协同监管) against it in its own name.
 */
export class AgenciesContract extends Contract {
  constructor() {
    super('agencies');
  }

  /** Files an agency in the submitting city. Idempotent for the same content; another city's agency is a conflict. */
  @Transaction()
  @Returns('string')
  async FileAgency(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(fileAgencyInput, inputJson);
    const key = agencyKey(ctx, input.uscc);
    const existing = await readSealedRecord<AgencyRecord>(ctx, key);
    if (existing) {
      if (existing.city !== city.id) throw new CodedError('CONFLICT', `agency ${input.uscc} is already filed by ${existing.city}`);
      const compared: (keyof AgencyRecord)[] =
        input.allianceMember === undefined ? ['name', 'services'] : ['name', 'services', 'allianceMember'];
      assertSameContent(existing, input, compared, `agency ${input.uscc}`);
      return jsonResult(existing);
    }
    const now = txTimestamp(ctx);
    const record: AgencyRecord = {
      uscc: input.uscc,
      city: city.id,
      name: input.name,
      services: input.services,
      status: 'active',
      allianceMember: input.allianceMember ?? false,
      filedAt: now,
      updatedAt: now,
      txId: ctx.stub.getTxID(),
    };
    await writeSealedRecord(ctx, key, record, city);
    await writeStatusIndexes(ctx, city, record.status, input.uscc);
    await emitEvent(ctx, LEDGER_EVENTS.agencyFiled, record, city.id);
    return jsonResult(record);
  }

  /** Changes the status of an agency filed by the submitting city (the reason stays in its gateway; the record holds its salted hash). */
  @Transaction()
  @Returns('string')
  async SetAgencyStatus(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(setAgencyStatusInput, inputJson);
    const key = agencyKey(ctx, input.uscc);
    const agency = found(await readSealedRecord<AgencyRecord>(ctx, key), `agency ${input.uscc}`);
    assertOwner(agency.city, city.id, `agency ${input.uscc}`);
    assertState(agency.status !== input.status, `agency ${input.uscc} is already ${input.status}`);
    await deleteIndex(ctx, compositeKey(ctx, OBJECT_TYPES.agencyByCityStatus, [city.id, agency.status, input.uscc]));
    await deleteIndex(ctx, compositeKey(ctx, OBJECT_TYPES.agencyByStatusCity, [agency.status, city.id, input.uscc]));
    await writeStatusIndexes(ctx, city, input.status, input.uscc);
    const record: AgencyRecord = {
      ...agency,
      status: input.status,
      statusReasonHash: input.reasonHash,
      updatedAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    await writeSealedRecord(ctx, key, record, city);
    await emitEvent(ctx, LEDGER_EVENTS.agencyStatusChanged, record, city.id);
    return jsonResult(record);
  }

  /** Admits an agency filed by the submitting city to the alliance (联盟), or withdraws it. */
  @Transaction()
  @Returns('string')
  async SetAllianceMembership(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(setAllianceMembershipInput, inputJson);
    const key = agencyKey(ctx, input.uscc);
    const agency = found(await readSealedRecord<AgencyRecord>(ctx, key), `agency ${input.uscc}`);
    assertOwner(agency.city, city.id, `agency ${input.uscc}`);
    assertState(
      agency.allianceMember !== input.member,
      `agency ${input.uscc} is already ${input.member ? 'a member' : 'not a member'} of the alliance`,
    );
    const record: AgencyRecord = { ...agency, allianceMember: input.member, updatedAt: txTimestamp(ctx), txId: ctx.stub.getTxID() };
    await writeSealedRecord(ctx, key, record, city);
    await emitEvent(ctx, LEDGER_EVENTS.agencyAllianceChanged, record, city.id);
    return jsonResult(record);
  }

  /** Records, in the submitting city's name, a supervision action against any filed agency. Idempotent for the same content. */
  @Transaction()
  @Returns('string')
  async RecordSupervision(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(recordSupervisionInput, inputJson);
    const key = compositeKey(ctx, OBJECT_TYPES.supervision, [input.uscc, city.id, input.actionId]);
    const existing = await readSealedRecord<SupervisionRecord>(ctx, key, city.id);
    if (existing) {
      assertSameContent(existing, input, SUPERVISION_CONTENT, `supervision record ${input.uscc}/${city.id}/${input.actionId}`);
      return jsonResult(existing);
    }
    found(await readSealedRecord<AgencyRecord>(ctx, agencyKey(ctx, input.uscc)), `agency ${input.uscc}`);
    const record: SupervisionRecord = {
      uscc: input.uscc,
      city: city.id,
      actionId: input.actionId,
      action: input.action,
      summaryHash: input.summaryHash,
      date: input.date,
      recordedAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    await writeSealedRecord(ctx, key, record, city);
    const recency = compositeKey(ctx, OBJECT_TYPES.supervisionByRecency, [
      input.uscc,
      reverseTimeAttribute(txMillis(ctx)),
      city.id,
      input.actionId,
    ]);
    await writeIndex(ctx, recency, city);
    await emitEvent(ctx, LEDGER_EVENTS.supervisionRecorded, record, city.id);
    return jsonResult(record);
  }

  /** One agency with its newest supervision records (newest recorded first, at most 100). */
  @Transaction(false)
  @Returns('string')
  async GetAgency(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getAgencyInput, inputJson);
    const agency = found(await readSealedRecord<AgencyRecord>(ctx, agencyKey(ctx, input.uscc)), `agency ${input.uscc}`);
    const page = await readPage(
      ctx,
      OBJECT_TYPES.supervisionByRecency,
      [input.uscc],
      { pageSize: MAX_SUPERVISION_IN_VIEW, bookmark: '' },
      (entry) => {
        const [, , recorder, actionId] = entry.attributes as [string, string, string, string];
        return readSealedRecord<SupervisionRecord>(
          ctx,
          compositeKey(ctx, OBJECT_TYPES.supervision, [input.uscc, recorder, actionId]),
          recorder as CityId,
        );
      },
    );
    const view: AgencyView = { ...agency, supervision: page.records };
    return jsonResult(view);
  }

  /** Agencies, one page at a time, optionally only those filed by one city and/or in one status (by USCC within each). */
  @Transaction(false)
  @Returns('string')
  async ListAgencies(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(listAgenciesInput, inputJson);
    const [objectType, attributes] = agencyRange(input.city, input.status);
    const page = await readPage(ctx, objectType, attributes, input, (entry) => loadAgency(ctx, objectType, entry));
    return jsonResult(page);
  }
}

/** Primary key of an agency. */
function agencyKey(ctx: Context, uscc: string): string {
  return compositeKey(ctx, OBJECT_TYPES.agency, [uscc]);
}

/** Writes both status index entries of an agency. */
async function writeStatusIndexes(ctx: Context, city: City, status: AgencyStatus, uscc: string): Promise<void> {
  await writeIndex(ctx, compositeKey(ctx, OBJECT_TYPES.agencyByCityStatus, [city.id, status, uscc]), city);
  await writeIndex(ctx, compositeKey(ctx, OBJECT_TYPES.agencyByStatusCity, [status, city.id, uscc]), city);
}

/** The key range that lists agencies with these filters. */
function agencyRange(city: CityId | undefined, status: AgencyStatus | undefined): [ObjectType, string[]] {
  if (city !== undefined) return [OBJECT_TYPES.agencyByCityStatus, status === undefined ? [city] : [city, status]];
  if (status !== undefined) return [OBJECT_TYPES.agencyByStatusCity, [status]];
  return [OBJECT_TYPES.agency, []];
}

/** The agency a listed key holds (primary key) or points at (index key, USCC last). */
async function loadAgency(ctx: Context, objectType: ObjectType, entry: KeyedValue): Promise<AgencyRecord | undefined> {
  if (objectType === OBJECT_TYPES.agency) return sealedRecordOf<AgencyRecord>(ctx, entry.key, entry.value);
  const uscc = entry.attributes[entry.attributes.length - 1] as string;
  return readSealedRecord<AgencyRecord>(ctx, agencyKey(ctx, uscc));
}
