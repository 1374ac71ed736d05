import { z } from 'zod';
import {
  AGENCY_STATUSES,
  agencyRecordSchema,
  type AgencyView,
  agencyViewSchema,
  bookmarkField,
  cityIdField,
  enumField,
  fileAgencyInput,
  freeTextField,
  type Page,
  pageSchema,
  recordSupervisionInput,
  setAgencyStatusInput,
  setAllianceMembershipInput,
  supervisionRecordSchema,
  usccField,
  type AgencyRecord,
  type SupervisionRecord,
} from '@jcc/domain';
import { route, type AnyRoute } from '../http/route.js';
import { idForRequest } from '../lib/route-ids.js';
import { bookmarkQuery, indexFacts, listAnswerOf, pageSizeQuery } from '../lists/common.js';
import { filterFingerprint } from '../lists/page.js';
import type { Services } from '../services.js';
import { FreeTexts, revealedTextSchema, textOf } from '../list-entries/free-text.js';
import { allianceStanding, searchAgencies } from './search.js';
import { agencyTexts, statusReasonScope, supervisionSummaryScope, type AgencyTexts } from './texts.js';

const usccParams = z.strictObject({ uscc: usccField.describe('统一社会信用代码 of the agency') });

const publicAgencySchema = z.object({
  uscc: z.string(),
  name: z.string(),
  filingCity: z.string(),
  status: z.enum(AGENCY_STATUSES),
  statusReason: z
    .string()
    .optional()
    .describe("why the filing was suspended or revoked (or reinstated), when this gateway keeps it (the filing city's does)"),
  statusReasonHeldBy: z.string().optional().describe('the city whose gateway keeps the reason, when this one does not'),
  allianceMember: z.boolean().describe('flagged an alliance member by the filing city'),
  allianceStanding: z
    .enum(['goodStanding', 'suspended', 'revoked', 'notMember'])
    .describe('a member is in good standing only while its filing is active'),
  services: z.array(z.string()),
  filedAt: z.string(),
  updatedAt: z.string(),
  supervision: z.array(
    z.object({
      city: z.string(),
      action: z.string(),
      summary: z.string().optional().describe("the summary, when this gateway keeps it (the recording city's does)"),
      summaryHeldBy: z.string().optional().describe('the city whose gateway keeps the summary, when this one does not'),
      date: z.string(),
    }),
  ),
});

/** {@link AgencyTexts}: the texts this gateway keeps for an agency, supervision summaries by `<city>/<actionId>`. */
const agencyTextsSchema = z.object({
  statusReason: revealedTextSchema.optional(),
  supervision: z.record(z.string(), revealedTextSchema).optional(),
}) satisfies z.ZodType<AgencyTexts>;

/**
 * The public view of an agency: the registry facts, nothing else. The texts
 * kept off the ledger are shown when this gateway keeps them (`texts`),
 * else the city whose gateway does is named.
 */
export async function publicAgency(view: AgencyView, texts: FreeTexts): Promise<z.output<typeof publicAgencySchema>> {
  const held = await agencyTexts(texts, view);
  const statusReason = textOf(held.statusReason);
  return {
    uscc: view.uscc,
    name: view.name,
    filingCity: view.city,
    status: view.status,
    ...(statusReason !== undefined ? { statusReason } : view.statusReasonHash ? { statusReasonHeldBy: view.city } : {}),
    allianceMember: view.allianceMember,
    allianceStanding: allianceStanding(view),
    services: view.services,
    filedAt: view.filedAt,
    updatedAt: view.updatedAt,
    supervision: view.supervision.map((r) => {
      const summary = textOf(held.supervision?.[`${r.city}/${r.actionId}`]);
      return { city: r.city, action: r.action, ...(summary !== undefined ? { summary } : { summaryHeldBy: r.city }), date: r.date };
    }),
  };
}

/** Routes of the five-city registry of credit-service agencies (信用服务机构名单库). */
export function agencyRoutes(s: Services): AnyRoute[] {
  const texts = new FreeTexts(s.store, s.secret);
  const submit = async <T>(
    transaction: Parameters<Services['ledger']['submit']>[0],
    input: object,
    action: string,
    by: string | undefined,
  ): Promise<T> => {
    const committed = await s.ledger.submit<T>(transaction, input);
    s.log.info({ action, txId: committed.transactionId, by }, 'agency registry changed');
    return committed.result;
  };
  return [
    route({
      method: 'post',
      path: '/api/v1/agencies',
      operationId: 'fileAgency',
      summary: 'File (备案) a credit-service agency in this city',
      tags: ['agencies'],
      access: ['operator'],
      body: fileAgencyInput,
      idempotency: 'cache',
      responses: { 201: { description: 'the agency record', schema: agencyRecordSchema }, 409: { description: 'filed by another city' } },
      async handler({ body, principal }) {
        return { status: 201, body: await submit('agencies:FileAgency', body, 'agency-filing', principal?.subject) };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/agencies/{uscc}/status',
      operationId: 'setAgencyStatus',
      summary: 'Set the status of an agency this city filed',
      tags: ['agencies'],
      access: ['operator'],
      params: usccParams,
      body: z.strictObject({
        status: setAgencyStatusInput.shape.status,
        reason: freeTextField.describe(
          'why (free text, no personal identifiers; kept in this gateway, the ledger gets its salted SHA-256)',
        ),
      }),
      idempotency: 'cache',
      responses: {
        200: { description: "the agency record, with the reason's text", schema: agencyRecordSchema.extend({ statusReason: z.string() }) },
      },
      async handler({ params, body, principal }) {
        const record = await texts.keep({ reason: [statusReasonScope(s.city, params.uscc), body.reason] }, (h) =>
          submit<AgencyRecord>(
            'agencies:SetAgencyStatus',
            { uscc: params.uscc, status: body.status, reasonHash: h.reason },
            'agency-status',
            principal?.subject,
          ),
        );
        return { status: 200, body: { ...record, statusReason: body.reason } };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/agencies/{uscc}/alliance',
      operationId: 'setAllianceMembership',
      summary: 'Set whether an agency this city filed is an alliance member',
      tags: ['agencies'],
      access: ['operator'],
      params: usccParams,
      body: z.strictObject({ member: setAllianceMembershipInput.shape.member }),
      idempotency: 'cache',
      responses: { 200: { description: 'the agency record', schema: agencyRecordSchema } },
      async handler({ params, body, principal }) {
        return {
          status: 200,
          body: await submit('agencies:SetAllianceMembership', { uscc: params.uscc, ...body }, 'agency-alliance', principal?.subject),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/v1/agencies/{uscc}/supervision',
      operationId: 'recordSupervision',
      summary: "Record a supervision action (协同监管) against any agency, in this city's name",
      tags: ['agencies'],
      access: ['operator'],
      params: usccParams,
      body: z.strictObject({
        actionId: recordSupervisionInput.shape.actionId.optional().describe('default: derived from the Idempotency-Key, else new'),
        action: recordSupervisionInput.shape.action,
        summary: freeTextField.describe(
          'what was done (free text, no personal identifiers; kept in this gateway, the ledger gets its salted SHA-256)',
        ),
        date: recordSupervisionInput.shape.date,
      }),
      idempotency: 'cache',
      responses: {
        201: {
          description: "the supervision record, with the summary's text",
          schema: supervisionRecordSchema.extend({ summary: z.string() }),
        },
      },
      async handler({ params, body, principal, idempotencyKey }) {
        const actionId = body.actionId ?? idForRequest(s.city, 'sup', principal, idempotencyKey);
        const record = await texts.keep({ summary: [supervisionSummaryScope(s.city, params.uscc, actionId), body.summary] }, (h) =>
          submit<SupervisionRecord>(
            'agencies:RecordSupervision',
            { uscc: params.uscc, actionId, action: body.action, summaryHash: h.summary, date: body.date },
            'agency-supervision',
            principal?.subject,
          ),
        );
        return { status: 201, body: { ...record, summary: body.summary } };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/agencies/{uscc}',
      operationId: 'getAgency',
      summary: "An agency's filing and supervision history, whichever city filed it",
      tags: ['agencies'],
      access: ['alliance', 'regulator', 'operator'],
      params: usccParams,
      description:
        "The answer also has `text`: the status reason and supervision summaries this gateway keeps (those its city wrote), each with the salt that proves it against the ledger's hash (SHA-256 of salt, ':' and the text). Other cities' texts are read at their gateways.",
      responses: {
        200: { description: 'the agency with its supervision records', schema: agencyViewSchema.extend({ text: agencyTextsSchema }) },
        404: { description: 'not filed in any city' },
      },
      async handler({ params }) {
        const view = await s.ledger.evaluate<AgencyView>('agencies:GetAgency', params);
        return { status: 200, body: { ...view, text: await agencyTexts(texts, view) } };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/agencies',
      operationId: 'listAgencies',
      summary: 'Agencies by filing city and/or status (paginated)',
      tags: ['agencies'],
      access: ['alliance', 'regulator', 'operator'],
      query: z.strictObject({
        city: cityIdField.optional(),
        status: enumField(AGENCY_STATUSES).optional(),
        pageSize: z.coerce.number().int().optional().describe('1-200, default 50'),
        bookmark: bookmarkField.optional(),
      }),
      responses: { 200: { description: 'one page of agencies', schema: pageSchema(agencyRecordSchema) } },
      async handler({ query }) {
        return { status: 200, body: await s.ledger.evaluate<Page<AgencyRecord>>('agencies:ListAgencies', query) };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/public/agencies',
      operationId: 'searchPublicAgencies',
      summary: 'Search the five-city registry of agencies by name (fragment) or USCC, alliance standing, status and service (no token)',
      description:
        "`q` is a USCC or any part of an agency's (Chinese) name; names are matched through a character-bigram index the gateway keeps from the ledger's events (full-width and half-width forms, case, spaces and punctuation do not matter). `alliance=goodStanding` selects members whose filing is active; `member` every agency flagged a member; `nonMember` the others. Results are in USCC order; `indexedThrough` is the block the index reflects.",
      tags: ['agencies', 'public', 'lists'],
      access: 'public',
      rateLimited: true,
      query: z.strictObject({
        q: z.string().trim().min(1).max(100).optional().describe('a name fragment (e.g. 青岛信用) or a USCC'),
        alliance: z.enum(['member', 'goodStanding', 'nonMember']).optional(),
        status: enumField(AGENCY_STATUSES).optional(),
        service: z.string().min(1).max(200).optional().describe('a service the agency offers (exact)'),
        city: cityIdField.optional().describe('filing city'),
        pageSize: pageSizeQuery,
        bookmark: bookmarkQuery,
      }),
      responses: { 200: { description: 'one page of public registry records', schema: listAnswerOf(publicAgencySchema) } },
      async handler({ query }) {
        const { pageSize, bookmark, ...filters } = query;
        const page = await searchAgencies(s.index.tables, filters, pageSize, filterFingerprint('agencies', filters), bookmark);
        return {
          status: 200,
          body: {
            records: await Promise.all(page.records.map((r) => publicAgency(r, texts))),
            bookmark: page.bookmark,
            pageSize,
            ...indexFacts(s),
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/public/agencies/{uscc}',
      operationId: 'publicAgency',
      summary: 'Public registry look-up of an agency (no token)',
      tags: ['agencies', 'public'],
      access: 'public',
      rateLimited: true,
      params: usccParams,
      responses: { 200: { description: 'the registry facts', schema: publicAgencySchema }, 404: { description: 'not filed in any city' } },
      async handler({ params }) {
        return { status: 200, body: await publicAgency(await s.ledger.evaluate<AgencyView>('agencies:GetAgency', params), texts) };
      },
    }),
  ];
}
