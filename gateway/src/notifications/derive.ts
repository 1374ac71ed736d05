import {
  LEDGER_EVENTS,
  isCityId,
  type AgencyRecord,
  type AgreementView,
  type CityId,
  type DocumentStatusRecord,
  type ObjectionRecord,
  type RecognitionDecisionRecord,
  type RecognitionRecord,
} from '@jcc/domain';
import type { Located } from '../fabric/records.js';
import type { IndexedAgency } from '../index/list-tables.js';
import type { AuditEvent } from '../index/tables.js';
import { notificationId, type Notification } from './types.js';
import { recordKey } from '../index/tables.js';

/** The parts of the event index the derivation reads (current state; see {@link deriveNotifications}). */
export interface DerivationLookups {
  /** `<recognising city>|<issuer city>|<document id>` → the recognition record. */
  recognitions: { get(key: string): Promise<Located<RecognitionRecord> | undefined> };
  /** USCC → the agency with its newest supervision records. */
  agencies: { get(uscc: string): Promise<IndexedAgency | undefined> };
}

/** What {@link deriveNotifications} needs besides the event. */
export interface DerivationContext {
  /** The city whose operators are notified (this gateway's). */
  city: CityId;
  lookups: DerivationLookups;
  /** Days a city has to answer an objection. */
  objectionDeadlineDays: number;
}

/** The deadline of an objection registered at `registeredAt`. */
export function objectionDeadline(registeredAt: string, days: number): string {
  return new Date(Date.parse(registeredAt) + days * 86_400_000).toISOString();
}

/**
 * The recognition decision in force at `at`: the newest of the record's
 * decisions (its history and its current one) recorded at or before `at`.
 */
export function decisionAt(record: RecognitionRecord, at: string): RecognitionDecisionRecord | undefined {
  const decisions: RecognitionDecisionRecord[] = [...(record.history ?? []), record];
  let found: RecognitionDecisionRecord | undefined;
  for (const d of decisions) if (d.recordedAt <= at && (!found || d.recordedAt >= found.recordedAt)) found = d;
  return found;
}

/**
 * The notifications for this city that one ledger event (as the event index
 * logged it) causes; none for most events. The index's tables are read as
 * they are now, which may be later than the event: a recognition is judged
 * by the decision in force when the document's status changed, so a later
 * decision does not change the answer.
 *
 * Nobody is told about their own city's act: a city does not recognise its
 * own documents, and agreement endings and agency changes are reported to the
 * other party only.
 */
export async function deriveNotifications(ctx: DerivationContext, event: AuditEvent): Promise<Notification[]> {
  const me = ctx.city;
  const p = event.payload;
  const ledger = { event: event.name, blockNumber: event.blockNumber, transactionId: event.transactionId };
  const make = (type: Notification['type'], timestamp: string, data: Record<string, unknown>, ...key: string[]): Notification => ({
    id: notificationId(type, me, event.transactionId, ...key),
    type,
    city: me,
    timestamp,
    ledger,
    data,
  });
  switch (event.name) {
    case LEDGER_EVENTS.documentRevoked:
    case LEDGER_EVENTS.documentSuperseded: {
      const status = p as unknown as DocumentStatusRecord;
      if (!isCityId(status.city) || status.city === me || typeof status.id !== 'string') return [];
      const recognition = await ctx.lookups.recognitions.get(recordKey(me, status.city, status.id));
      if (!recognition) return [];
      const decision = decisionAt(recognition, String(status.at ?? ''));
      if (decision?.decision !== 'accepted') return [];
      const type = event.name === LEDGER_EVENTS.documentRevoked ? 'document.revoked' : 'document.superseded';
      return [
        make(
          type,
          status.at,
          {
            issuerCity: status.city,
            documentId: status.id,
            status: status.status,
            // The reason stays in the issuing city's gateway (GET /api/v1/reports/{id} there); the ledger holds its salted hash.
            reasonHash: status.reasonHash,
            reasonHeldBy: status.city,
            ...(status.replacementId ? { replacementId: status.replacementId } : {}),
            ...(status.batchId ? { batchId: status.batchId } : {}),
            recognition: {
              decision: decision.decision,
              recordedAt: decision.recordedAt,
              txId: decision.txId,
              ...(decision.agreementId ? { agreementId: decision.agreementId } : {}),
            },
          },
          status.id,
        ),
      ];
    }
    case LEDGER_EVENTS.objectionRegistered: {
      const o = p as unknown as ObjectionRecord;
      if (o.entryCity !== me || typeof o.objectionId !== 'string') return [];
      return [
        make(
          'objection.raised',
          o.registeredAt,
          {
            objectionCity: o.city,
            objectionId: o.objectionId,
            entryCity: o.entryCity,
            entryId: o.entryId,
            registeredAt: o.registeredAt,
            deadline: objectionDeadline(o.registeredAt, ctx.objectionDeadlineDays),
          },
          o.city,
          o.objectionId,
        ),
      ];
    }
    case LEDGER_EVENTS.agreementProposed: {
      const a = p as unknown as AgreementView;
      if (a.counterparty !== me || a.proposer === me) return [];
      return [make('agreement.proposed', a.proposedAt, agreementData(a), a.agreementId)];
    }
    case LEDGER_EVENTS.agreementEnded: {
      const a = p as unknown as AgreementView;
      const party = a.proposer === me || a.counterparty === me;
      if (!party || a.endedBy === me) return [];
      return [make('agreement.ended', a.endedAt ?? a.proposedAt, agreementData(a), a.agreementId)];
    }
    case LEDGER_EVENTS.agencyStatusChanged:
    case LEDGER_EVENTS.agencyAllianceChanged: {
      const record = p as unknown as AgencyRecord;
      if (record.city === me || typeof record.uscc !== 'string') return [];
      const agency = await ctx.lookups.agencies.get(record.uscc);
      if (!agency?.supervision.some((s) => s.city === me)) return [];
      return [
        make(
          'agency.status-changed',
          record.updatedAt,
          {
            uscc: record.uscc,
            name: record.name,
            filingCity: record.city,
            change: event.name === LEDGER_EVENTS.agencyStatusChanged ? 'status' : 'alliance',
            status: record.status,
            ...(record.statusReasonHash ? { statusReasonHash: record.statusReasonHash, statusReasonHeldBy: record.city } : {}),
            allianceMember: record.allianceMember,
          },
          record.uscc,
        ),
      ];
    }
    default:
      return [];
  }
}

/** The `objection.overdue` notification of an objection still unanswered past its deadline. */
export function overdueNotification(me: CityId, objection: Located<ObjectionRecord>, deadline: string): Notification {
  return {
    id: notificationId('objection.overdue', me, objection.city, objection.objectionId),
    type: 'objection.overdue',
    city: me,
    timestamp: deadline,
    ledger: { event: LEDGER_EVENTS.objectionRegistered, blockNumber: objection.blockNumber, transactionId: objection.txId },
    data: {
      objectionCity: objection.city,
      objectionId: objection.objectionId,
      entryCity: objection.entryCity,
      entryId: objection.entryId,
      registeredAt: objection.registeredAt,
      deadline,
    },
  };
}

function agreementData(a: AgreementView): Record<string, unknown> {
  return {
    agreementId: a.agreementId,
    proposer: a.proposer,
    counterparty: a.counterparty,
    docTypes: a.docTypes,
    validFrom: a.validFrom,
    validTo: a.validTo,
    state: a.state,
    ...(a.endedBy ? { endedBy: a.endedBy } : {}),
    ...(a.endReasonHash ? { endReasonHash: a.endReasonHash } : {}),
  };
}
