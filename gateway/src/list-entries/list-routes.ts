import { z } from 'zod';
import {
  cityIdField,
  enumField,
  LIST_TYPES,
  type ListEntryRecord,
  listEntryRecordSchema,
  objectionAnswerRecordSchema,
  objectionRecordSchema,
} from '@jcc/domain';
import { route, type AnyRoute } from '../http/route.js';
import type { IndexedEntry, IndexedObjection } from '../index/list-tables.js';
import { objectionsOfEntryRange } from '../index/list-projections.js';
import {
  bookmarkQuery,
  chinaDate,
  dateBoundQuery,
  dateRange,
  indexFacts,
  listAnswerOf,
  pageSizeQuery,
  scopeCity,
  subjectQuery,
} from '../lists/common.js';
import { filterFingerprint, readPage } from '../lists/page.js';
import type { Services } from '../services.js';

/**
 * Where a list entry stands: on the list (`listed`), or off it by one of the
 * removal paths — `expired` (removed as expired, or past its end date without
 * anyone removing it), `repaired` (信用修复), `objectionUpheld` (异议成立),
 * `courtDecision` (司法裁判).
 */
export const ENTRY_STATUSES = ['listed', 'expired', 'repaired', 'objectionUpheld', 'courtDecision'] as const;
/** One of the {@link ENTRY_STATUSES}. */
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** The status of an entry on `today` (a China Standard Time date): it is in force through its end date. */
export function entryStatus(entry: Pick<ListEntryRecord, 'state' | 'removal' | 'endDate'>, today: string): EntryStatus {
  if (entry.state === 'removed') {
    switch (entry.removal?.reason) {
      case 'creditRepair':
        return 'repaired';
      case 'objectionUpheld':
        return 'objectionUpheld';
      case 'courtDecision':
        return 'courtDecision';
      default:
        return 'expired';
    }
  }
  return entry.endDate !== undefined && entry.endDate < today ? 'expired' : 'listed';
}

/** Where an objection stands. */
export const OBJECTION_STATES = ['pending', 'overdue', 'answered'] as const;

/** {@link objectionView}: an objection of the index with its answer, deadline and state. */
export const objectionViewSchema = objectionRecordSchema.extend({
  blockNumber: z.number().int(),
  answer: objectionAnswerRecordSchema.optional(),
  state: z.enum(['pending', 'answered']),
  deadline: z.string(),
  overdue: z.boolean(),
});

/** A list entry with its status today (the list pages and the subject look-up). */
export const listEntryWithStatusSchema = listEntryRecordSchema.extend({ status: z.enum(ENTRY_STATUSES) });

/** An objection with its deadline: `registeredAt` plus the configured number of days. */
export function objectionView(o: IndexedObjection, deadlineDays: number, now: number): z.output<typeof objectionViewSchema> {
  const deadline = new Date(Date.parse(o.registeredAt) + deadlineDays * 86_400_000).toISOString();
  const state = o.answer ? 'answered' : 'pending';
  return { ...o, state, deadline, overdue: state === 'pending' && now > Date.parse(deadline) };
}

/** The list routes of list entries and objections, served from the gateway's index of the ledger. */
export function listEntryListRoutes(s: Services): AnyRoute[] {
  return [
    route({
      method: 'get',
      path: '/api/v1/list-entries',
      operationId: 'listListEntries',
      summary: 'List entries (联合奖惩名单), newest first, by type, status, date and subject',
      description:
        "An operator sees its own city's entries; a regulator sees every city's (all five, or `city`). `status` reflects every removal path, and an entry past its end date is `expired` without anyone removing it; `removed` selects every entry off the list. `from`/`to` bound the date the entry was created (inclusive). Served from the gateway's index of the ledger; `indexedThrough` is the block it reflects. Sorted by creation time, newest first, then city and id.",
      tags: ['list-entries', 'lists'],
      access: ['operator', 'regulator'],
      query: z.strictObject({
        type: enumField(LIST_TYPES).optional().describe('red | black | keySupervision'),
        status: enumField([...ENTRY_STATUSES, 'removed'] as const).optional(),
        city: cityIdField.optional().describe('issuing city (regulators; an operator may name only its own)'),
        subject: subjectQuery,
        from: dateBoundQuery,
        to: dateBoundQuery,
        pageSize: pageSizeQuery,
        bookmark: bookmarkQuery,
      }),
      responses: {
        200: {
          description: 'one page of entries, each with its status',
          schema: listAnswerOf(listEntryWithStatusSchema.extend({ blockNumber: z.number().int() })),
        },
      },
      async handler({ query, principal }) {
        const city = scopeCity(s, principal, query.city);
        const today = chinaDate(s.clock());
        const prefix = city ? `c:${city}|` : 'all|';
        const page = await readPage<IndexedEntry>({
          order: s.index.tables.entryOrder,
          prefix,
          ...dateRange(query.from, query.to),
          descending: true,
          fingerprint: filterFingerprint('list-entries', { ...query, city }),
          bookmark: query.bookmark,
          pageSize: query.pageSize,
          load: (keys) => s.index.tables.entries.getMany(keys),
          accept: (e) => {
            if (query.type && e.listType !== query.type) return false;
            if (query.subject && e.subjectPseudonym !== query.subject) return false;
            const status = entryStatus(e, today);
            if (query.status === 'removed' ? status === 'listed' : query.status && status !== query.status) return false;
            return true;
          },
        });
        return {
          status: 200,
          body: {
            records: page.records.map((e) => ({ ...e, status: entryStatus(e, today) })),
            bookmark: page.bookmark,
            pageSize: query.pageSize,
            ...indexFacts(s),
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/objections',
      operationId: 'listObjections',
      summary: 'Objections (异议) against list entries, newest first, with their answer deadline',
      description:
        "An operator sees the objections against its own city's entries; a regulator those against any city's (`entryCity`). Each objection's `deadline` is the configured number of days after it was registered; a pending objection past it is `overdue` (and `state=overdue` selects those). `from`/`to` bound the registration time. Served from the gateway's index of the ledger.",
      tags: ['list-entries', 'lists'],
      access: ['operator', 'regulator'],
      query: z.strictObject({
        state: enumField(OBJECTION_STATES).optional(),
        entryCity: cityIdField.optional().describe("the entries' city (regulators; an operator may name only its own)"),
        from: dateBoundQuery,
        to: dateBoundQuery,
        pageSize: pageSizeQuery,
        bookmark: bookmarkQuery,
      }),
      responses: {
        200: {
          description: 'one page of objections',
          schema: listAnswerOf(objectionViewSchema).extend({ deadlineDays: z.number() }),
        },
      },
      async handler({ query, principal }) {
        const entryCity = scopeCity(s, principal, query.entryCity);
        const now = s.clock();
        const days = s.config.lists.objectionDeadlineDays;
        const page = await readPage<IndexedObjection>({
          order: s.index.tables.objectionOrder,
          prefix: entryCity ? `e:${entryCity}|` : 'all|',
          ...dateRange(query.from, query.to),
          descending: true,
          fingerprint: filterFingerprint('objections', { ...query, entryCity }),
          bookmark: query.bookmark,
          pageSize: query.pageSize,
          load: (keys) => s.index.tables.objections.getMany(keys),
          accept: (o) => {
            if (!query.state) return true;
            const view = objectionView(o, days, now);
            if (query.state === 'overdue') return view.overdue;
            return view.state === query.state;
          },
        });
        return {
          status: 200,
          body: {
            records: page.records.map((o) => objectionView(o, days, now)),
            bookmark: page.bookmark,
            pageSize: query.pageSize,
            deadlineDays: days,
            ...indexFacts(s),
          },
        };
      },
    }),
  ];
}

/** The objections of one entry, oldest first, with deadlines (for the subject look-up). */
export async function objectionsOfEntry(s: Services, city: string, id: string): Promise<ReturnType<typeof objectionView>[]> {
  const keys: string[] = [];
  for await (const [, primary] of s.index.tables.objectionOrder.entries(objectionsOfEntryRange(city, id))) keys.push(primary);
  const now = s.clock();
  const found = (await s.index.tables.objections.getMany(keys)).filter((o): o is IndexedObjection => o !== undefined);
  return found
    .map((o) => objectionView(o, s.config.lists.objectionDeadlineDays, now))
    .sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.objectionId.localeCompare(b.objectionId));
}
