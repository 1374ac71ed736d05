import { z } from 'zod';
import {
  answerObjectionInput,
  cityIdField,
  createEntryInput,
  type ListEntryRecord,
  listEntryRecordSchema,
  type ListEntryView,
  listEntryViewSchema,
  objectionAnswerRecordSchema,
  objectionRecordSchema,
  offLedgerTextField,
  offLedgerTextListField,
  recordIdField,
  registerObjectionInput,
  removeEntryInput,
  sha256Hex,
} from '@jcc/domain';
import { route, type AnyRoute } from '../http/route.js';
import { pseudonymOf, subjectSchema } from '../issue/subject.js';
import { idForRequest } from '../lib/route-ids.js';
import { FreeTexts, type RevealedText } from './free-text.js';
import type { Services } from '../services.js';
import { listEntryListRoutes } from './list-routes.js';

const entry = createEntryInput.shape;
const removal = removeEntryInput.shape;

/** Body of `POST /api/v1/list-entries`. */
export const createEntryBody = z
  .strictObject({
    id: recordIdField.optional().describe('entry id; default: derived from the Idempotency-Key, else new'),
    subject: subjectSchema,
    listType: entry.listType,
    legalBasis: offLedgerTextField.describe('认定依据 (free text; kept in this gateway, the ledger gets its salted SHA-256)'),
    measures: offLedgerTextListField.describe('measures (奖惩措施; kept in this gateway, the ledger gets their salted SHA-256)'),
    startDate: entry.startDate,
    endDate: entry.endDate,
    documentHash: entry.documentHash.describe('SHA-256 of the decision document, if any'),
  })
  .describe('A joint reward/punishment list entry (联合奖惩名单)');

/** Body of `POST /api/v1/list-entries/{id}/removal`. */
export const removalBody = z.strictObject({
  reason: removal.reason.describe('expired | creditRepair (信用修复) | objectionUpheld | courtDecision'),
  note: offLedgerTextField.describe('why (kept in this gateway, the ledger gets its salted SHA-256)'),
  evidence: z.string().min(1).max(100_000).optional().describe('evidence text or reference; only its SHA-256 goes on the ledger'),
  evidenceHash: removal.evidenceHash,
});

/** Free text of an entry of this city, as served with the entry (each only when it matches the ledger's hash). */
export interface EntryTexts {
  legalBasis?: RevealedText;
  measures?: RevealedText;
  removalNote?: RevealedText;
  /** Notes of the answers to objections, by `<objectionCity>/<objectionId>`. */
  answerNotes?: Record<string, RevealedText>;
}

/** Routes of list entries, removals (incl. credit repair) and objections. */
export function listEntryRoutes(s: Services): AnyRoute[] {
  const texts = new FreeTexts(s.store, s.secret);
  /** The free text this gateway holds for one of its entries. */
  const textsOf = async (view: ListEntryView): Promise<EntryTexts> => {
    const out: EntryTexts = {};
    const legalBasis = await texts.reveal(view.legalBasisHash);
    if (legalBasis) out.legalBasis = legalBasis;
    const measures = await texts.reveal(view.measuresHash);
    if (measures) out.measures = measures;
    const removalNote = await texts.reveal(view.removal?.noteHash);
    if (removalNote) out.removalNote = removalNote;
    for (const objection of view.objections ?? []) {
      const note = await texts.reveal(objection.answer?.noteHash);
      if (note) (out.answerNotes ??= {})[`${objection.city}/${objection.objectionId}`] = note;
    }
    return out;
  };
  const objections = s.store.table<{
    objectionId: string;
    entryCity: string;
    entryId: string;
    grounds: string;
    registeredAt: string;
    by: string;
  }>('objections');
  return [
    ...listEntryListRoutes(s),
    route({
      method: 'post',
      path: '/api/v1/list-entries',
      operationId: 'createListEntry',
      summary: 'Put a subject on a red, black or key-supervision list',
      tags: ['list-entries'],
      access: ['operator'],
      body: createEntryBody,
      idempotency: 'cache',
      responses: { 201: { description: 'the entry record', schema: listEntryRecordSchema } },
      async handler({ body, principal, idempotencyKey }) {
        const { subject, id: givenId, legalBasis, measures, ...rest } = body;
        const id = givenId ?? idForRequest(s.city, 'le', principal, idempotencyKey);
        const input = { ...rest, id, subjectPseudonym: pseudonymOf(s.secret, subject) };
        const committed = await texts.keep(
          { legalBasis: [`${s.city}|${id}|legalBasis`, legalBasis], measures: [`${s.city}|${id}|measures`, measures] },
          (h) =>
            s.ledger.submit<ListEntryRecord>('listEntries:CreateEntry', {
              ...input,
              legalBasisHash: h.legalBasis,
              measuresHash: h.measures,
            }),
        );
        s.log.info({ action: 'list-entry', id: input.id, listType: input.listType, by: principal?.subject }, 'list entry created');
        return { status: 201, body: committed.result };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/list-entries/{id}/removal',
      operationId: 'removeListEntry',
      summary:
        "Remove one of this city's entries (expiry, credit repair, objection upheld, court decision); the entry stays with its removal",
      tags: ['list-entries'],
      access: ['operator'],
      params: z.strictObject({ id: recordIdField }),
      body: removalBody,
      idempotency: 'cache',
      responses: { 200: { description: 'the entry, removed', schema: listEntryRecordSchema }, 409: { description: 'already removed' } },
      async handler({ params, body, principal }) {
        const evidenceHash = body.evidenceHash ?? (body.evidence ? sha256Hex(body.evidence) : undefined);
        const input = { id: params.id, reason: body.reason, ...(evidenceHash ? { evidenceHash } : {}) };
        const committed = await texts.keep({ note: [`${s.city}|${params.id}|removal`, body.note] }, (h) =>
          s.ledger.submit<ListEntryRecord>('listEntries:RemoveEntry', { ...input, noteHash: h.note }),
        );
        s.log.info({ action: 'list-entry-removal', id: params.id, reason: body.reason, by: principal?.subject }, 'list entry removed');
        return { status: 200, body: committed.result };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/list-entries/{city}/{id}',
      operationId: 'getListEntry',
      summary: 'A list entry of any city, with its objections and answers',
      description:
        "For this city's own entries the answer also has `text`: the legal basis, measures and notes kept in this gateway, each with the salt that proves it against the ledger's hash (SHA-256 of salt, ':' and the text). Other cities' texts are read at their gateways.",
      tags: ['list-entries'],
      access: ['operator', 'regulator'],
      params: z.strictObject({ city: cityIdField, id: recordIdField }),
      responses: {
        200: {
          description: "the entry with its objections; this city's own entries with their texts",
          schema: listEntryViewSchema.extend({
            text: z
              .object({
                legalBasis: z.looseObject({}).optional(),
                measures: z.looseObject({}).optional(),
                removalNote: z.looseObject({}).optional(),
                answerNotes: z.record(z.string(), z.looseObject({})).optional(),
              })
              .optional(),
          }),
        },
        404: { description: 'unknown' },
      },
      async handler({ params }) {
        const view = await s.ledger.evaluate<ListEntryView>('listEntries:GetEntry', params);
        return { status: 200, body: params.city === s.city ? { ...view, text: await textsOf(view) } : view };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/list-entries/{city}/{id}/objections',
      operationId: 'registerObjection',
      summary: "Register a subject's objection (异议) to an entry of any city",
      description: 'The grounds stay in this gateway; the ledger gets their SHA-256.',
      tags: ['list-entries'],
      access: ['operator'],
      params: z.strictObject({ city: cityIdField, id: recordIdField }),
      body: z.strictObject({
        objectionId: registerObjectionInput.shape.objectionId.optional().describe('default: derived from the Idempotency-Key, else new'),
        grounds: z.string().min(1).max(100_000).describe('the grounds of the objection (kept off-chain)'),
      }),
      idempotency: 'cache',
      responses: { 201: { description: 'the objection record', schema: objectionRecordSchema } },
      async handler({ params, body, principal, idempotencyKey }) {
        const objectionId = body.objectionId ?? idForRequest(s.city, 'obj', principal, idempotencyKey);
        const committed = await s.ledger.submit<Record<string, unknown>>('listEntries:RegisterObjection', {
          entryCity: params.city,
          entryId: params.id,
          objectionId,
          groundsHash: sha256Hex(body.grounds),
        });
        await objections.put(objectionId, {
          objectionId,
          entryCity: params.city,
          entryId: params.id,
          grounds: body.grounds,
          registeredAt: new Date().toISOString(),
          by: principal?.subject ?? '',
        });
        s.log.info(
          { action: 'objection', objectionId, entryCity: params.city, entryId: params.id, by: principal?.subject },
          'objection registered',
        );
        return { status: 201, body: committed.result };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/objections/{city}/{objectionId}/answer',
      operationId: 'answerObjection',
      summary: "Answer an objection to one of this city's entries (upheld removes the entry)",
      tags: ['list-entries'],
      access: ['operator'],
      params: z.strictObject({ city: cityIdField, objectionId: recordIdField }),
      body: z.strictObject({
        outcome: answerObjectionInput.shape.outcome,
        note: offLedgerTextField.describe('the answer in short (kept in this gateway, the ledger gets its salted SHA-256)'),
        answer: z.string().min(1).max(100_000).optional().describe('the full answer; only its SHA-256 goes on the ledger'),
      }),
      idempotency: 'cache',
      responses: {
        200: { description: 'the answer record', schema: objectionAnswerRecordSchema },
        409: { description: 'already answered' },
      },
      async handler({ params, body, principal }) {
        const committed = await texts.keep({ note: [`${params.city}|${params.objectionId}|answer`, body.note] }, (h) =>
          s.ledger.submit<Record<string, unknown>>('listEntries:AnswerObjection', {
            objectionCity: params.city,
            objectionId: params.objectionId,
            outcome: body.outcome,
            noteHash: h.note,
            ...(body.answer ? { answerHash: sha256Hex(body.answer) } : {}),
          }),
        );
        s.log.info(
          { action: 'objection-answer', objectionId: params.objectionId, outcome: body.outcome, by: principal?.subject },
          'objection answered',
        );
        return { status: 200, body: committed.result };
      },
    }),
  ];
}
