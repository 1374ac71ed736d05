/**
 * One fault scenario measured end to end: a mixed load runs through the gateways, the
 * fault is injected and (where the scenario says) repaired, then every document a client
 * was told was accepted is followed until it is anchored. The figures go to the test output
 * and to `.runtime/faults.json`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CityId } from '@jcc/domain';
import { RUNTIME_DIR } from '@jcc/network';
import { call, callAt, testUrl, token } from '../gateway/harness.js';
import { MixedLoad, type AcceptedDocument, type LoadPlan } from './load.js';

/** The figures of one scenario. */
export interface ScenarioResult {
  scenario: string;
  consensus: 'raft' | 'bft';
  /** Documents answered 202 during the scenario. */
  accepted: number;
  /** Of those, answered 202 between the fault and its repair (or the end of the load when not repaired). */
  acceptedDuringFault?: number;
  /** Of those, anchored on the ledger after recovery. */
  anchoredAfterRecovery: number;
  /** Accepted but never anchored (must be 0). */
  lost: number;
  /** Anchored more than once (must be 0). */
  duplicated: number;
  /** Synchronous writes (evaluations) committed during the scenario. */
  writesCommitted: number;
  /** Longest time without a committed synchronous write, seconds. */
  writeGapSeconds: number;
  /** From the fault (or its repair, when the scenario repairs it) to the next committed write, seconds. */
  recoverSeconds: number | null;
  /** Seconds from the end of the load until the last accepted document was anchored. */
  drainSeconds: number;
  verifications: { ok: number; failed: number };
  /** What clients saw, by status and title, with counts. */
  errorsSeen: Record<string, number>;
  /** City cut off: seconds from the link's return until its peer had every block the others had then. */
  peerCatchUpSeconds?: number;
  /** City cut off: seconds from the link's return until its gateway's index had applied those blocks. */
  indexCatchUpSeconds?: number;
  /** Figures of the scenario's own work (e.g. the bulk uploads of the gateway it kills), as it reports them. */
  detail?: Record<string, unknown>;
}

/** What a scenario adds to the mixed load's figures: work of its own that it follows itself. */
export interface ExtraFigures {
  /** Documents (or records) a client was told were accepted. */
  accepted: number;
  /** Of those, found anchored (or recorded) on the ledger after recovery. */
  anchored: number;
  /** Found on the ledger more than once. */
  duplicated: number;
  errorsSeen?: Record<string, number>;
  /** Replaces the recovery time (e.g. from the kill until the gateway answered again). */
  recoverSeconds?: number;
  detail?: Record<string, unknown>;
}

/** Marks that the scenario body sets while it runs. */
export interface ScenarioMarks {
  /** The fault was injected now. */
  fault(): void;
  /** The fault was repaired now (recovery is measured from here). */
  repaired(): void;
  /** Waits until a synchronous write commits after the last mark, or throws after `timeoutMs`. */
  writesResume(timeoutMs?: number): Promise<number>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Where every scenario's figures are kept: `.runtime/faults.json` (`JCC_FAULTS_FILE` names another, e.g. for a network in its own runtime folder). */
export const resultsFile = process.env.JCC_FAULTS_FILE ? resolve(process.env.JCC_FAULTS_FILE) : join(RUNTIME_DIR, 'faults.json');

/** The audit index's last event sequence number at an observing gateway. */
export async function lastSeq(observer: CityId, regulator: string): Promise<number> {
  let after = 0;
  for (;;) {
    const page = await call(observer, 'GET', `/api/v1/audit?limit=1000&after=${after}`, { token: regulator });
    if (page.status !== 200) throw new Error(`audit at ${observer}: ${page.status}`);
    const events = page.body.events as { seq: number }[];
    if (events.length) after = events[events.length - 1]!.seq;
    if (page.body.next === null) return after;
  }
}

/** Anchoring events of `cities` after sequence `since`, as the observer's index holds them. */
export async function anchorEvents(
  observer: CityId,
  regulator: string,
  since: number,
  cities: Set<CityId>,
): Promise<{ single: Map<string, number>; batchLeaves: number }> {
  const single = new Map<string, number>();
  let batchLeaves = 0;
  let after = since;
  for (;;) {
    const page = await call(observer, 'GET', `/api/v1/audit?limit=1000&after=${after}`, { token: regulator });
    for (const e of page.body.events as { seq: number; name: string; city: CityId; payload: Record<string, unknown> }[]) {
      after = e.seq;
      if (!cities.has(e.city)) continue;
      if (e.name === 'DocumentAnchored') single.set(String(e.payload.id), (single.get(String(e.payload.id)) ?? 0) + 1);
      if (e.name === 'BatchAnchored') batchLeaves += Number(e.payload.leafCount ?? 0);
    }
    if (page.body.next === null) return { single, batchLeaves };
  }
}

/**
 * Follows documents issued at the gateway of `url` (read with the operator token `operator`)
 * until each is anchored or `timeoutMs` has passed: the ids anchored, and when the last of
 * them was seen anchored (`since` when none was). A read that fails counts as not yet.
 */
export async function followAnchoredAt(
  url: string,
  operator: string,
  ids: readonly string[],
  timeoutMs: number,
  since = Date.now(),
): Promise<{ anchored: Set<string>; lastAt: number }> {
  const pending = new Set(ids);
  const anchored = new Set<string>();
  let lastAt = since;
  const deadline = Date.now() + timeoutMs;
  while (pending.size && Date.now() < deadline) {
    const batch = [...pending].slice(0, 64);
    await Promise.all(
      batch.map(async (id) => {
        const res = await callAt<{ state: string }>(url, 'GET', `/api/v1/reports/${id}`, { token: operator }).catch(() => undefined);
        if (res?.status === 200 && res.body.state === 'anchored') {
          pending.delete(id);
          anchored.add(id);
          lastAt = Date.now();
        }
      }),
    );
    if (pending.size && batch.length === pending.size) await pause(500);
  }
  return { anchored, lastAt };
}

/** Follows the mixed load's accepted documents at their cities' test gateways; anchored ones as `<city>|<id>`. */
async function followAnchoring(accepted: AcceptedDocument[], timeoutMs: number): Promise<{ anchored: Set<string>; lastAt: number }> {
  const byCity = new Map<CityId, string[]>();
  for (const d of accepted) byCity.set(d.city, [...(byCity.get(d.city) ?? []), d.id]);
  const since = Date.now();
  const followed = await Promise.all(
    [...byCity].map(async ([city, ids]) => ({
      city,
      ...(await followAnchoredAt(testUrl(city), await token(city, 'operator', { ttlSeconds: 3600 }), ids, timeoutMs, since)),
    })),
  );
  return {
    anchored: new Set(followed.flatMap((f) => [...f.anchored].map((id) => `${f.city}|${id}`))),
    lastAt: Math.max(since, ...followed.map((f) => f.lastAt)),
  };
}

/** Adds one scenario's figures to `.runtime/faults.json`. */
export async function saveResult(result: ScenarioResult): Promise<void> {
  let all: { updatedAt: string; scenarios: Record<string, ScenarioResult> } = { updatedAt: '', scenarios: {} };
  try {
    all = JSON.parse(await readFile(resultsFile, 'utf8'));
  } catch {
    // first scenario of the run
  }
  all.scenarios[`${result.consensus}:${result.scenario}`] = result;
  all.updatedAt = new Date().toISOString();
  await mkdir(dirname(resultsFile), { recursive: true });
  await writeFile(resultsFile, JSON.stringify(all, null, 2) + '\n');
}

/**
 * Runs a scenario: baseline load, `body` (which injects and repairs, setting the marks),
 * recovery, drain; returns and records the figures.
 */
export async function measureScenario(
  scenario: string,
  consensus: 'raft' | 'bft',
  plan: LoadPlan,
  body: (marks: ScenarioMarks) => Promise<void>,
  options: {
    observer: CityId;
    drainTimeoutMs?: number;
    /** Called once the load's documents are followed: the scenario's own figures, added to the load's. */
    extra?: () => Promise<ExtraFigures>;
  } = { observer: 'rizhao' },
): Promise<ScenarioResult> {
  const regulator = await token(options.observer, 'regulator', { ttlSeconds: 3600 });
  const since = await lastSeq(options.observer, regulator);
  const load = new MixedLoad(plan, `${consensus}-${scenario}`).start();
  let faultAt = 0;
  let repairedAt = 0;
  const started = Date.now();
  // Each phase's start, so that a scenario that runs out of time shows where the time went.
  const phase = (what: string) => process.stdout.write(`      [${scenario} +${Math.round((Date.now() - started) / 1000)} s] ${what}\n`);
  const marks: ScenarioMarks = {
    fault: () => {
      faultAt = Date.now();
      phase('fault injected');
    },
    repaired: () => {
      repairedAt = Date.now();
      phase('repaired');
    },
    writesResume: async (timeoutMs = 120_000) => {
      const from = Math.max(faultAt, repairedAt);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const next = load.record.writes.find((t) => t > from);
        if (next) return next;
        if (Date.now() > deadline) throw new Error(`${scenario}: no synchronous write committed within ${timeoutMs} ms`);
        await pause(100);
      }
    },
  };
  let resumedAt: number;
  try {
    await pause(3000);
    await body(marks);
    resumedAt = await marks.writesResume();
    phase('writes committed again');
    await pause(3000);
  } catch (err) {
    await load.stop().catch(() => undefined); // a failed scenario leaves no load running behind it
    throw err;
  }
  const record = await load.stop();
  const stoppedAt = Date.now();
  phase(`load stopped; following ${record.accepted.length} accepted documents until anchored`);

  const { anchored, lastAt } = await followAnchoring(record.accepted, options.drainTimeoutMs ?? 180_000);
  const cities = new Set(record.accepted.map((d) => d.city));
  const batchAnchored = record.accepted.filter((d) => d.mode === 'batch' && anchored.has(`${d.city}|${d.id}`)).length;
  const singles = record.accepted.filter((d) => d.mode === 'single');
  // The observer's index may trail the issuers' by a block or two: read until it holds every batch.
  let events = await anchorEvents(options.observer, regulator, since, cities);
  for (let i = 0; i < 40 && events.batchLeaves < batchAnchored; i++) {
    await pause(250);
    events = await anchorEvents(options.observer, regulator, since, cities);
  }
  const singleDuplicates = singles.filter((d) => (events.single.get(d.id) ?? 0) > 1).length;
  // Leaves beyond the batch documents accepted: a document anchored twice. Counted against every accepted one, not
  // only those the drain saw anchored, so a document anchored after the drain is lost, not also duplicated.
  const batchAccepted = record.accepted.filter((d) => d.mode === 'batch').length;
  const batchDuplicates = Math.max(0, events.batchLeaves - batchAccepted);

  const times = [started, ...record.writes, stoppedAt].sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
  const from = repairedAt || faultAt;
  const result: ScenarioResult = {
    scenario,
    consensus,
    accepted: record.accepted.length,
    acceptedDuringFault: record.accepted.filter((d) => faultAt && d.at >= faultAt && d.at <= (repairedAt || stoppedAt)).length,
    anchoredAfterRecovery: anchored.size,
    lost: record.accepted.length - anchored.size,
    duplicated: singleDuplicates + batchDuplicates,
    writesCommitted: record.writes.length,
    writeGapSeconds: Math.round(gap / 100) / 10,
    recoverSeconds: from ? Math.round((resumedAt - from) / 100) / 10 : null,
    drainSeconds: Math.max(0, Math.round((lastAt - stoppedAt) / 100) / 10),
    verifications: record.verifications,
    errorsSeen: record.errors,
  };
  if (options.extra) {
    const x = await options.extra();
    result.accepted += x.accepted;
    result.anchoredAfterRecovery += x.anchored;
    result.lost += x.accepted - x.anchored;
    result.duplicated += x.duplicated;
    for (const [k, v] of Object.entries(x.errorsSeen ?? {})) result.errorsSeen[k] = (result.errorsSeen[k] ?? 0) + v;
    if (x.recoverSeconds !== undefined) result.recoverSeconds = x.recoverSeconds;
    if (x.detail) result.detail = x.detail;
  }
  process.stdout.write(`      ${JSON.stringify(result)}\n`);
  await saveResult(result);
  return result;
}
