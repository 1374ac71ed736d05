/**
 * Issuing documents through a gateway (`POST /api/v1/reports`) with many
 * concurrent clients, and waiting until the gateway has anchored them.
 */
import type { CityId } from '@jcc/domain';
import { messageOf, runPool, secondsSince, sleep, withTicker } from './common.js';
import { anchoredCount, tokenFor } from './gateways.js';
import { send, sendJson } from './http.js';
import { quantile, round } from './stats.js';
import { enterpriseUscc } from './subjects.js';

/** What {@link issueDocuments} did. */
export interface IssueOutcome {
  /** Ids of the documents issued, in issue order (failed requests leave no id). */
  ids: string[];
  failed: number;
  firstError?: string;
  /** Seconds from the first request to the last answer. */
  seconds: number;
  latencyMs: { p50: number; p99: number };
}

/** Issues `count` documents at the gateway at `url` with `clients` concurrent clients. */
export async function issueDocuments(options: {
  url: string;
  city: CityId;
  mode: 'single' | 'batch';
  count: number;
  clients: number;
  /** First subject index (keeps subjects of different workloads apart). */
  subjectBase: number;
  reportType: string;
  onProgress?: (issued: number) => void;
  onIssued?: (id: string) => void;
}): Promise<IssueOutcome> {
  const token = await tokenFor(options.city, 'operator');
  const ids: (string | undefined)[] = new Array(options.count);
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const validUntil = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000).toISOString();
  const t0 = performance.now();
  await runPool(options.count, options.clients, async (i) => {
    const body = {
      subject: { kind: 'enterprise', uscc: enterpriseUscc(options.city, options.subjectBase + i) },
      reportType: options.reportType,
      content: { purpose: 'benchmark', sequence: i },
      validUntil,
      anchor: options.mode,
    };
    for (let attempt = 1; ; attempt++) {
      const r0 = performance.now();
      try {
        const reply = await send(`${options.url}/api/v1/reports`, { token, json: body });
        if (reply.status === 202) {
          latencies.push(performance.now() - r0);
          const id = (JSON.parse(reply.text) as { id: string }).id;
          ids[i] = id;
          options.onIssued?.(id);
          options.onProgress?.(latencies.length);
          return;
        }
        // 503 (keys not registered yet, peer unreachable) means nothing was stored: try again.
        if (reply.status === 503 && attempt < 5) {
          await sleep(1000);
          continue;
        }
        throw new Error(`${reply.status} ${reply.text.slice(0, 200)}`);
      } catch (err) {
        failed++;
        firstError ??= messageOf(err);
        return;
      }
    }
  });
  return {
    ids: ids.filter((id): id is string => id !== undefined),
    failed,
    ...(firstError ? { firstError } : {}),
    seconds: secondsSince(t0),
    latencyMs: { p50: round(quantile(latencies, 0.5), 1), p99: round(quantile(latencies, 0.99), 1) },
  };
}

/** An event of the gateway's audit trail (`GET /api/v1/audit`). */
interface AuditEvent {
  seq: number;
  name: string;
  payload: { id?: string; batchId?: string; leafCount?: number };
}

/** The sequence number of the last ledger event a gateway's index holds (where to follow its audit trail from). */
export async function auditCursor(url: string, city: CityId): Promise<number> {
  const token = await tokenFor(city, 'regulator');
  const page = await sendJson<{ indexedThrough: { seq: number } | null }>(`${url}/api/v1/audit?limit=1&after=${Number.MAX_SAFE_INTEGER}`, {
    token,
  });
  return page.indexedThrough?.seq ?? 0;
}

/**
 * Waits until the ledger holds an anchor for every document issued: follows
 * the gateway's audit trail (the chaincode events its index applied) from
 * `cursor`, counting the DocumentAnchored events of the issued ids (single
 * mode) or the leaves of each distinct BatchAnchored event of the city
 * (batch mode; during the run only this benchmark issues there). Polls every
 * 250 ms and reports progress every 5 s; gives up when nothing moves for
 * `stallMs`. Returns when (performance.now()) the last anchor was seen, or
 * undefined when it gave up, and how many documents were seen anchored.
 */
export async function waitAnchoredOnLedger(options: {
  url: string;
  city: CityId;
  mode: 'single' | 'batch';
  cursor: number;
  /** Ids to wait for (single mode); their number is what batch mode waits for. */
  ids: () => ReadonlySet<string>;
  expected: () => number;
  /** Keep following until told the issuing is over. */
  issuing: () => boolean;
  stallMs: number;
  log: (line: string) => void;
  label: string;
}): Promise<{ at: number | undefined; anchored: number }> {
  const token = await tokenFor(options.city, 'regulator');
  const event = options.mode === 'single' ? 'DocumentAnchored' : 'BatchAnchored';
  const seenDocs = new Set<string>();
  const seenBatches = new Set<string>();
  let leaves = 0;
  let cursor = options.cursor;
  let lastMove = Date.now();
  let lastTold = Date.now();
  const anchored = (): number => (options.mode === 'single' ? seenDocs.size : leaves);
  for (;;) {
    let page: { events: AuditEvent[]; next: number | null };
    try {
      page = await sendJson(`${options.url}/api/v1/audit?after=${cursor}&event=${event}&city=${options.city}&limit=1000`, { token });
    } catch {
      page = { events: [], next: null };
    }
    for (const e of page.events) {
      cursor = Math.max(cursor, e.seq);
      lastMove = Date.now();
      if (options.mode === 'single') {
        if (e.payload.id && options.ids().has(e.payload.id)) seenDocs.add(e.payload.id);
      } else if (e.payload.batchId && !seenBatches.has(e.payload.batchId)) {
        seenBatches.add(e.payload.batchId);
        leaves += e.payload.leafCount ?? 0;
      }
    }
    if (page.next !== null) continue;
    if (!options.issuing() && anchored() >= options.expected()) return { at: performance.now(), anchored: anchored() };
    if (options.issuing()) lastMove = Date.now();
    if (Date.now() - lastMove > options.stallMs) {
      options.log(
        `${options.label}: no anchor on the ledger for ${options.stallMs / 1000} s; giving up at ${anchored()}/${options.expected()}`,
      );
      return { at: undefined, anchored: anchored() };
    }
    if (!options.issuing() && Date.now() - lastTold >= 5000) {
      lastTold = Date.now();
      options.log(`${options.label}: anchored on the ledger ${anchored()}/${options.expected()}`);
    }
    await sleep(250);
  }
}

/**
 * Waits until the gateway's own counter of anchored documents (`/metrics`,
 * `jcc_documents_anchored_total{mode}`) has grown by `expected` over
 * `baseline`, polling every 200 ms (a quick check used for the verification
 * pool; the counter can run ahead when the gateway completes a batch twice,
 * so the pool's documents are read back afterwards). Gives up when nothing
 * moves for `stallMs`.
 */
export async function waitAnchored(options: {
  url: string;
  mode: 'single' | 'batch';
  baseline: number;
  expected: number;
  stallMs: number;
  log: (line: string) => void;
  label: string;
}): Promise<{ at: number | undefined; anchored: number }> {
  let anchored = 0;
  let lastMove = Date.now();
  let lastTold = Date.now();
  for (;;) {
    const now = (await anchoredCount(options.url, options.mode)) - options.baseline;
    if (now >= options.expected) return { at: performance.now(), anchored: now };
    if (now !== anchored) {
      anchored = now;
      lastMove = Date.now();
    }
    if (Date.now() - lastMove > options.stallMs) {
      options.log(`${options.label}: no anchoring progress for ${options.stallMs / 1000} s; giving up at ${anchored}/${options.expected}`);
      return { at: undefined, anchored };
    }
    if (Date.now() - lastTold >= 5000) {
      lastTold = Date.now();
      options.log(`${options.label}: anchored ${anchored}/${options.expected}`);
    }
    await sleep(200);
  }
}

/** A document as the gateway reports it (`GET /api/v1/reports/{id}`). */
export interface ReportState {
  id: string;
  state: string;
  jws: string;
  proof?: Record<string, unknown>;
  anchor: { mode: string; txId?: string };
}

/** Reads the state of each document (16 at a time); returns the answers (failures are skipped and counted). */
export async function readStates(url: string, city: CityId, ids: readonly string[]): Promise<{ states: ReportState[]; failed: number }> {
  const token = await tokenFor(city, 'operator');
  const states: ReportState[] = [];
  let failed = 0;
  await runPool(ids.length, 16, async (i) => {
    try {
      states.push(await sendJson<ReportState>(`${url}/api/v1/reports/${ids[i]}`, { token }));
    } catch {
      failed++;
    }
  });
  return { states, failed };
}

/**
 * Issues, while following the ledger's anchors, then waits until every
 * issued document is anchored on the ledger (see {@link confirmAnchored} for
 * the read-back that follows). Reports progress every 5 s.
 */
export async function issueAndAnchor(options: {
  url: string;
  city: CityId;
  mode: 'single' | 'batch';
  count: number;
  clients: number;
  subjectBase: number;
  reportType: string;
  log: (line: string) => void;
  label: string;
  /** How to issue (default {@link issueDocuments}: one request per document). */
  issue?: (hooks: { onProgress: (issued: number) => void; onIssued: (id: string) => void }) => Promise<IssueOutcome>;
}): Promise<{
  issue: IssueOutcome;
  /** performance.now() of the first request. */
  startedAt: number;
  /** performance.now() when the ledger held every anchor (undefined: gave up). */
  ledgerDoneAt: number | undefined;
  /** Documents seen anchored on the ledger. */
  anchored: number;
  /** How much the gateway's own anchored counter grew (more than `anchored` when it completed batches twice). */
  counterGrowth: number;
}> {
  const counterBefore = await anchoredCount(options.url, options.mode);
  const cursor = await auditCursor(options.url, options.city);
  let issued = 0;
  let issuing = true;
  let outcome: IssueOutcome | undefined;
  const ids = new Set<string>();
  const t0 = performance.now();
  const following = waitAnchoredOnLedger({
    url: options.url,
    city: options.city,
    mode: options.mode,
    cursor,
    ids: () => ids,
    expected: () => outcome?.ids.length ?? options.count,
    issuing: () => issuing,
    stallMs: 180_000,
    log: options.log,
    label: options.label,
  });
  try {
    outcome = await withTicker(
      5000,
      async () => {
        const anchored = (await anchoredCount(options.url, options.mode)) - counterBefore;
        options.log(
          `${options.label}: issued ${issued}/${options.count} (${Math.round(issued / secondsSince(t0))}/s), gateway counter anchored ${anchored}`,
        );
      },
      () => {
        const hooks = { onProgress: (n: number) => (issued = n), onIssued: (id: string) => ids.add(id) };
        return options.issue ? options.issue(hooks) : issueDocuments({ ...options, ...hooks });
      },
    );
  } finally {
    issuing = false;
  }
  const issue = outcome;
  options.log(
    `${options.label}: ${issue.ids.length} issued in ${issue.seconds.toFixed(1)} s (${Math.round(issue.ids.length / issue.seconds)}/s; ${issue.failed} failed${issue.firstError ? `: ${issue.firstError}` : ''}); waiting for the anchors on the ledger`,
  );
  const done = await following;
  const counterGrowth = (await anchoredCount(options.url, options.mode)) - counterBefore;
  return {
    issue,
    startedAt: t0,
    ledgerDoneAt: done.at,
    anchored: done.anchored,
    counterGrowth,
  };
}

/**
 * Reads the states of issued documents back (`GET /api/v1/reports/{id}`: all
 * in single mode, a random sample and the last 100 in batch mode); one still
 * pending is polled (for up to a minute) until it is anchored. Returns the end
 * of the anchoring — when the ledger held every anchor, or later when a
 * document was still pending then — and the states.
 */
export async function confirmAnchored(
  url: string,
  city: CityId,
  mode: 'single' | 'batch',
  ids: readonly string[],
  ledgerDoneAt: number | undefined,
): Promise<{ end: number | undefined; checked: number; states: Record<string, number> }> {
  let check = ids;
  if (mode === 'batch' && check.length > 1100) {
    const picked = new Set<string>(check.slice(-100));
    while (picked.size < 1100) picked.add(check[Math.floor(Math.random() * check.length)] as string);
    check = [...picked];
  }
  let end = ledgerDoneAt;
  let { states } = await readStates(url, city, check);
  const deadline = Date.now() + 60_000;
  while (end !== undefined && states.some((s) => s.state === 'pending') && Date.now() < deadline) {
    await sleep(250);
    const again = await readStates(
      url,
      city,
      states.filter((s) => s.state === 'pending').map((s) => s.id),
    );
    states = [...states.filter((s) => s.state !== 'pending'), ...again.states];
    if (!again.states.some((s) => s.state === 'pending')) end = performance.now();
  }
  const counts: Record<string, number> = {};
  for (const s of states) counts[s.state] = (counts[s.state] ?? 0) + 1;
  if (states.length < check.length) counts.unreadable = check.length - states.length;
  return { end, checked: check.length, states: counts };
}
