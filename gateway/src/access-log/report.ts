import { z } from 'zod';
import {
  ACCESS_REPORT_FORMAT,
  cityIdField,
  reportEntrySchema,
  treeHeadRecordSchema,
  CITY_IDS,
  entryProblems,
  isLogOf,
  treeHeadProblems,
  type AccessReport,
  type CityAccessPart,
  type CityId,
  type ReportEntry,
  type TreeHeadRecord,
} from '@jcc/domain';
import { ok } from '@jcc/client';
import type { Principal } from '../auth/roles.js';
import { peerCall } from '../peers/peer-gateways.js';
import type { Services } from '../services.js';
import { AccessLogDivergedError, accessorOf } from './log.js';

/** What a city's gateway answers for a subject: the log it writes, its anchored head and the subject's entries proven against it. */
export interface CityAccessAnswer {
  city: CityId;
  /** The log's id (absent from gateways older than log ids: the city's main log). */
  log?: string;
  head: TreeHeadRecord | null;
  entries: ReportEntry[];
  pending: number;
}

/** {@link CityAccessAnswer}, as `GET /api/v1/peer/access-log/subjects/{pseudonym}` states it. */
export const cityAccessAnswerSchema = z.object({
  city: cityIdField,
  log: z.string().optional(),
  head: treeHeadRecordSchema.nullable(),
  entries: z.array(reportEntrySchema),
  pending: z.number().int(),
}) satisfies z.ZodType<CityAccessAnswer>;

/**
 * This city's part for a subject: anchors a head first when entries were
 * appended since the last one (so the part is complete), then proves the
 * subject's entries against the anchored head.
 *
 * @throws AccessLogDivergedError when this store's log cannot be continued (its entries prove nothing).
 */
export async function ownAccessAnswer(s: Services, subjectPseudonym: string): Promise<CityAccessAnswer> {
  s.accessLog.assertWritable();
  const indexes = await s.accessLog.indexesOf(subjectPseudonym);
  let head = await s.accessLog.anchoredHead();
  if (indexes.some((i) => !head || i >= head.treeSize)) {
    head = await s.accessLog.anchor().catch((err: unknown) => {
      if (err instanceof AccessLogDivergedError) throw err;
      s.log.warn({ err: (err as Error).message }, 'access log: anchoring for a report failed');
      return head;
    });
  }
  const size = head?.treeSize ?? 0;
  const proven = head && size > 0 ? await s.accessLog.prove(indexes, size) : [];
  return { city: s.city, log: s.accessLog.logId, head, entries: proven, pending: indexes.filter((i) => i >= size).length };
}

/** Another city's part, through its gateway (`GET /api/v1/peer/access-log/subjects/{pseudonym}`). */
async function peerAccessAnswer(s: Services, city: CityId, subjectPseudonym: string): Promise<CityAccessAnswer> {
  const client = await s.peers.client(city, Math.max(s.config.verify.peerTimeoutMs, 15_000));
  return peerCall(
    city,
    ok(client.GET('/api/v1/peer/access-log/subjects/{pseudonym}', { params: { path: { pseudonym: subjectPseudonym } } })),
  );
}

/**
 * How long a report waits for this gateway's peer to commit a head that
 * another city's gateway has just anchored (peers commit a block at
 * different moments).
 */
const PEER_HEAD_WAIT_MS = 15_000;

/**
 * Checks a city's answer against the ledger as this gateway's peer holds it:
 * the head must be the one anchored there (same size, root and signed head)
 * and signed with a registered document key of the city, and every entry must
 * be about this subject and included in that head. A head not on this peer
 * yet is waited for, up to {@link PEER_HEAD_WAIT_MS}, by its transaction.
 */
async function checkPart(s: Services, city: CityId, subjectPseudonym: string, answer: CityAccessAnswer): Promise<CityAccessPart> {
  const problems: string[] = [];
  const log = answer.log ?? city;
  let head: TreeHeadRecord | null = null;
  if (!isLogOf(log, city)) problems.push(`the gateway answered for the log ${log}, not one of ${city}'s`);
  else if (answer.head) {
    head = await s.accessLog.anchoredHead(city, answer.head.treeSize, log);
    if (!head && typeof answer.head.txId === 'string' && (await s.index.waitForTransaction(answer.head.txId, PEER_HEAD_WAIT_MS)))
      head = await s.accessLog.anchoredHead(city, answer.head.treeSize, log);
    if (!head) problems.push(`no head of size ${answer.head.treeSize} is anchored for the log ${log}`);
    else if (head.rootHash !== answer.head.rootHash || head.signedTreeHead !== answer.head.signedTreeHead)
      problems.push(`the head the gateway sent differs from the one anchored on the ledger`);
    else problems.push(...(await treeHeadProblems(city, head, (c, kid) => s.view.key(c, kid))));
  } else if (answer.entries.length > 0) {
    problems.push('entries without an anchored head');
  }
  if (head) for (const item of answer.entries) problems.push(...entryProblems(city, subjectPseudonym, head, item));
  return { status: problems.length ? 'failed' : 'verified', log, head, entries: answer.entries, pending: answer.pending, problems };
}

/**
 * The subject access report: every city's accesses to the subject's
 * records, each proven against that city's anchored tree head. The report
 * itself is logged here first (action `access-report`).
 */
export async function accessReport(s: Services, subjectPseudonym: string, principal: Principal | undefined): Promise<AccessReport> {
  await s.accessLog.record({ action: 'access-report', subjectPseudonym, principal });
  const cities: Partial<Record<CityId, CityAccessPart>> = {};
  await Promise.all(
    CITY_IDS.map(async (city) => {
      try {
        const answer = city === s.city ? await ownAccessAnswer(s, subjectPseudonym) : await peerAccessAnswer(s, city, subjectPseudonym);
        cities[city] = await checkPart(s, city, subjectPseudonym, answer);
      } catch (err) {
        cities[city] = { status: 'unavailable', head: null, entries: [], pending: 0, problems: [(err as Error).message] };
      }
    }),
  );
  const ordered = Object.fromEntries(CITY_IDS.filter((c) => cities[c]).map((c) => [c, cities[c]])) as Partial<
    Record<CityId, CityAccessPart>
  >;
  const accesses = Object.entries(ordered)
    .flatMap(([city, part]) => (part.status === 'verified' ? part.entries.map((e) => ({ ...e, city: city as CityId })) : []))
    .map(({ entry, city }) => ({
      city,
      at: entry.at,
      log: entry.log,
      index: entry.index,
      action: entry.action,
      accessor: entry.accessor,
      ...(entry.document ? { document: entry.document } : {}),
    }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.log.localeCompare(b.log) || a.index - b.index);
  return {
    format: ACCESS_REPORT_FORMAT,
    subjectPseudonym,
    generatedAt: new Date(s.clock()).toISOString(),
    generatedBy: { city: s.city, accessor: accessorOf(principal) },
    cities: ordered,
    accesses,
    verified: Object.values(ordered).every((p) => p.status === 'verified'),
  };
}
