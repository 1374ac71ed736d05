import { Command, Option } from 'commander';
import type { GatewayClient } from '../lib/http.js';
import { contextFor, parsePositiveInt, type CommandContext } from '../lib/context.js';
import { usageError } from '../lib/exit.js';
import { cityLabel } from '../lib/format.js';

/** One page of a gateway list (`GET /api/v1/reports`, `/list-entries`, ...). */
export interface ListPage {
  records: Record<string, unknown>[];
  bookmark: string;
  pageSize?: number;
  indexedThrough?: { blockNumber: number; transactionId: string } | null;
  caughtUp?: boolean;
  [extra: string]: unknown;
}

/** A list `jcc list` can read: its endpoint, the filters it takes (option → query parameter), and how a record reads. */
interface ListKind {
  path: string;
  auth: 'required' | 'optional';
  description: string;
  /** commander option attribute → query parameter. */
  filters: Record<string, string>;
  line(record: Record<string, unknown>): string;
}

const str = (v: unknown): string => (v === undefined || v === null ? '-' : String(v));

/** ` — <reason>` of a recognition record: its text (kept off the ledger), or which city's gateway holds it. */
function reasonOf(r: Record<string, unknown>): string {
  const reason = (r.text as { reason?: { text?: unknown; heldBy?: unknown } } | undefined)?.reason;
  if (typeof reason?.text === 'string') return ` — ${reason.text}`;
  if (typeof reason?.heldBy === 'string') return ` — (reason held by ${cityLabel(reason.heldBy)})`;
  return '';
}

/** The lists, by the name given on the command line. */
export const LIST_KINDS: Record<string, ListKind> = {
  reports: {
    path: '/api/v1/reports',
    auth: 'required',
    description: "documents this city issued (operator's own city)",
    filters: { state: 'state', type: 'type', subject: 'subject', from: 'from', to: 'to' },
    line: (r) => `${str(r.id)}  ${str(r.type)}  ${str(r.state)}  issued ${str(r.issuedAt)}  ${str((r.anchor as { mode?: string })?.mode)}`,
  },
  entries: {
    path: '/api/v1/list-entries',
    auth: 'required',
    description: 'list entries (联合奖惩名单); regulators: every city',
    filters: { type: 'type', status: 'status', city: 'city', subject: 'subject', from: 'from', to: 'to' },
    line: (r) => `${cityLabel(str(r.city))}  ${str(r.id)}  ${str(r.listType)}  ${str(r.status)}  ${str(r.startDate)}..${str(r.endDate)}`,
  },
  evaluations: {
    path: '/api/v1/evaluations',
    auth: 'required',
    description: 'evaluation results (信用评价); regulators: every city',
    filters: { grade: 'grade', scheme: 'scheme', city: 'city', subject: 'subject', from: 'from', to: 'to' },
    line: (r) => `${cityLabel(str(r.city))}  ${str(r.id)}  ${str(r.scheme)} ${str(r.grade)}  recorded ${str(r.recordedAt)}`,
  },
  recognitions: {
    path: '/api/v1/recognitions',
    auth: 'required',
    description: "who recognised this city's documents (互认), accepted or rejected and why",
    filters: { issuerCity: 'issuerCity', recognisingCity: 'recognisingCity', decision: 'decision' },
    line: (r) => `${str(r.issuerCity)}/${str(r.documentId)}  by ${cityLabel(str(r.city))}: ${str(r.decision)}${reasonOf(r)}`,
  },
  objections: {
    path: '/api/v1/objections',
    auth: 'required',
    description: "objections (异议) against this city's entries, with deadlines",
    filters: { state: 'state', entryCity: 'entryCity', from: 'from', to: 'to' },
    line: (r) =>
      `${str(r.city)}/${str(r.objectionId)}  on ${str(r.entryCity)}/${str(r.entryId)}  ${str(r.state)}${r.overdue ? ' OVERDUE 逾期' : ''}  deadline ${str(r.deadline)}`,
  },
  agencies: {
    path: '/api/v1/public/agencies',
    auth: 'optional',
    description: 'credit-service agencies by name fragment or USCC (public)',
    filters: { query: 'q', alliance: 'alliance', status: 'status', service: 'service', city: 'city' },
    line: (r) => `${str(r.uscc)}  ${str(r.name)}  ${cityLabel(str(r.filingCity))}  ${str(r.status)}  alliance: ${str(r.allianceStanding)}`,
  },
};

/** Options of `jcc list` (commander attribute names). */
type ListOptions = Record<string, string | boolean | undefined> & { pageSize?: string; bookmark?: string; all?: boolean };

/** The query string of a list request from the options given; refuses filters the list does not take. */
export function listQuery(kindName: string, options: ListOptions, bookmark?: string): string {
  const kind = LIST_KINDS[kindName];
  if (!kind) throw usageError(`jcc list: unknown list "${kindName}"; one of ${Object.keys(LIST_KINDS).join(', ')}`);
  const params = new URLSearchParams();
  for (const name of FILTER_OPTIONS) {
    const value = options[name];
    if (value === undefined) continue;
    const param = kind.filters[name];
    if (!param) throw usageError(`jcc list ${kindName}: --${kebab(name)} does not apply; filters: ${filterHelp(kind)}`);
    params.set(param, String(value));
  }
  if (options.pageSize !== undefined) params.set('pageSize', String(parsePositiveInt(options.pageSize, '--page-size')));
  if (bookmark) params.set('bookmark', bookmark);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Reads one page. */
export async function readListPage(client: GatewayClient, kindName: string, options: ListOptions, bookmark?: string): Promise<ListPage> {
  const kind = LIST_KINDS[kindName]!;
  const query = listQuery(kindName, options, bookmark);
  return (await client.request<ListPage>('GET', `${kind.path}${query}`, { auth: kind.auth })).body;
}

const FILTER_OPTIONS = [
  'state',
  'type',
  'status',
  'city',
  'subject',
  'from',
  'to',
  'grade',
  'scheme',
  'issuerCity',
  'recognisingCity',
  'decision',
  'entryCity',
  'query',
  'alliance',
  'service',
] as const;

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function filterHelp(kind: ListKind): string {
  return Object.keys(kind.filters)
    .map((k) => `--${kebab(k)}`)
    .join(' ');
}

/** Most pages `--all` follows. */
const MAX_PAGES = 1000;

async function run(ctx: CommandContext, kindName: string, options: ListOptions): Promise<void> {
  const client = ctx.gateway();
  const kind = LIST_KINDS[kindName];
  if (!kind) throw usageError(`jcc list: unknown list "${kindName}"; one of ${Object.keys(LIST_KINDS).join(', ')}`);
  let page = await readListPage(client, kindName, options, options.bookmark);
  if (options.all) {
    const records = [...page.records];
    for (let n = 1; page.bookmark && n < MAX_PAGES; n++) {
      page = await readListPage(client, kindName, options, page.bookmark);
      records.push(...page.records);
    }
    page = { ...page, records };
  }
  if (ctx.options.json) {
    ctx.printJson(page);
    return;
  }
  if (page.records.length === 0) ctx.print('no records 无记录');
  for (const record of page.records) ctx.print(kind.line(record));
  const facts: string[] = [`${page.records.length} record(s)`];
  if (page.indexedThrough)
    facts.push(`index through block ${page.indexedThrough.blockNumber}${page.caughtUp === false ? ' (catching up)' : ''}`);
  ctx.print(ctx.style.dim(facts.join(' · ')));
  if (page.bookmark) ctx.print(ctx.style.dim(`next page: --bookmark ${page.bookmark}`));
}

/**
 * `jcc list <what>`: the users' lists (reports, entries, evaluations,
 * recognitions, objections, agencies) with the gateway's filters, one page
 * at a time (`--bookmark`), or every page (`--all`).
 */
export function registerList(program: Command): void {
  const command = program
    .command('list')
    .description('list records: reports, entries, evaluations, recognitions, objections, agencies (filters, pages)')
    .argument(
      '<what>',
      Object.entries(LIST_KINDS)
        .map(([name, k]) => `${name}: ${k.description}`)
        .join('; '),
    )
    .option('--state <state>', 'reports: pending|anchored|revoked|superseded|expired|failed; objections: pending|overdue|answered')
    .option('--type <type>', 'reports: document type; entries: red|black|keySupervision')
    .option(
      '--status <status>',
      'entries: listed|expired|repaired|objectionUpheld|courtDecision|removed; agencies: active|suspended|revoked',
    )
    .option('--city <city>', 'entries, evaluations: issuing city (regulators); agencies: filing city')
    .option('--subject <pseudonym>', "a subject's pseudonym (from a subject look-up)")
    .option('--from <date>', 'from this date or instant (inclusive)')
    .option('--to <date>', 'up to this date or instant (inclusive)')
    .option('--grade <grade>', 'evaluations: grade')
    .option('--scheme <scheme>', 'evaluations: scheme')
    .option('--issuer-city <city>', "recognitions: the documents' issuing city")
    .option('--recognising-city <city>', 'recognitions: the deciding city')
    .option('--decision <decision>', 'recognitions: accepted|rejected')
    .option('--entry-city <city>', "objections: the entries' city (regulators)")
    .addOption(new Option('-q, --query <text>', 'agencies: a name fragment or a USCC'))
    .option('--alliance <standing>', 'agencies: member|goodStanding|nonMember')
    .option('--service <service>', 'agencies: a service offered')
    .option('--page-size <n>', 'records per page (1-200)')
    .option('--bookmark <bookmark>', 'continue after the page that returned this bookmark')
    .option('--all', 'follow the bookmarks and print every page', false);
  command.action(async (what: string, options: ListOptions, cmd: Command) => {
    await run(contextFor(cmd), what, options);
  });
}
