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
  type Page,
  pageSchema,
  recordSupervisionInput,
  setAgencyStatusInput,
  setAllianceMembershipInput,
  supervisionRecordSchema,
  usccField,
} from '@jcc/domain';
import { route, type AnyRoute } from '../http/route.js';
import { idForRequest } from '../lib/route-ids.js';
import { bookmarkQuery, indexFacts, listAnswerOf, pageSizeQuery } from '../lists/common.js';
import { filterFingerprint } from '../lists/page.js';
import type { Services } from '../services.js';
import { allianceStanding, searchAgencies } from './search.js';

const usccParams = z.strictObject({ uscc: usccField.describe('统一社会信用代码 of the agency') });

const publicAgencySchema = z.object({
  uscc: z.string(),
  name: z.string(),
  filingCity: z.string(),
  status: z.enum(AGENCY_STATUSES),
  statusReason: z.string().optional().describe('why the filing was suspended or revoked (or reinstated)'),
  allianceMember: z.boolean().describe('flagged an alliance member by the filing city'),
  allianceStanding: z
    .enum(['goodStanding', 'suspended', 'revoked', 'notMember'])
    .describe('a member is in good standing only while its filing is active'),
  services: z.array(z.string()),
  filedAt: z.string(),
  updatedAt: z.string(),
  supervision: z.array(z.object({ city: z.string(), action: z.string(), summary: z.string(), date: z.string() })),
});

/** The public view of an agency: the registry facts, nothing else. */
export function publicAgency(view: AgencyView): z.output<typeof publicAgencySchema> {
  return {
    uscc: view.uscc,
    name: view.name,
    filingCity: view.city,
    status: view.status,
    ...(view.statusReason ? { statusReason: view.statusReason } : {}),
    allianceMember: view.allianceMember,
    allianceStanding: allianceStanding(view),
    services: view.services,
    filedAt: view.filedAt,
    updatedAt: view.updatedAt,
    supervision: view.supervision.map((r) => ({ city: r.city, action: r.action, summary: r.summary, date: r.date })),
  };
}

/** Routes of the five-city registry of credit-service agencies (信用服务机构名单库). */
export function agencyRoutes(s: Services): AnyRoute[] {
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
      body: z.strictObject({ status: setAgencyStatusInput.shape.status, reason: setAgencyStatusInput.shape.reason }),
      idempotency: 'cache',
      responses: { 200: { description: 'the agency record', schema: agencyRecordSchema } },
      async handler({ params, body, principal }) {
        return {
          status: 200,
          body: await submit('agencies:SetAgencyStatus', { uscc: params.uscc, ...body }, 'agency-status', principal?.subject),
        };
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
        summary: recordSupervisionInput.shape.summary,
        date: recordSupervisionInput.shape.date,
      }),
      idempotency: 'cache',
      responses: { 201: { description: 'the supervision record', schema: supervisionRecordSchema } },
      async handler({ params, body, principal, idempotencyKey }) {
        const actionId = body.actionId ?? idForRequest(s.city, 'sup', principal, idempotencyKey);
        return {
          status: 201,
          body: await submit(
            'agencies:RecordSupervision',
            { ...body, uscc: params.uscc, actionId },
            'agency-supervision',
            principal?.subject,
          ),
        };
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
      responses: {
        200: { description: 'the agency with its supervision records', schema: agencyViewSchema },
        404: { description: 'not filed in any city' },
      },
      async handler({ params }) {
        return { status: 200, body: await s.ledger.evaluate<AgencyView>('agencies:GetAgency', params) };
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
      responses: { 200: { description: 'one page of agencies', schema: pageSchema(agencyViewSchema) } },
      async handler({ query }) {
        return { status: 200, body: await s.ledger.evaluate<Page<AgencyView>>('agencies:ListAgencies', query) };
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
          body: { records: page.records.map(publicAgency), bookmark: page.bookmark, pageSize, ...indexFacts(s) },
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
        return { status: 200, body: publicAgency(await s.ledger.evaluate<AgencyView>('agencies:GetAgency', params)) };
      },
    }),
  ];
}
