/**
 * The figures of the 城市信用合作 (city credit cooperation) column: per
 * city and per month, how many documents were anchored, recognitions given
 * and received, list entries by type and status, agencies and alliance
 * members, and supervision actions. Computed from the gateway's index of the
 * ledger (never from a city's own store), so every gateway answers the same
 * figures for the same block; labelled with the block the index reflects.
 * Counts only: no subject, pseudonym, document id or free text appears.
 */
import { CITY_IDS, LEDGER_EVENTS, LIST_TYPES, cityById, type CityId, type ListType } from '@jcc/domain';
import type { IndexTables } from '../index/tables.js';
import { chinaDate } from '../lists/common.js';
import { ENTRY_STATUSES, entryStatus, type EntryStatus } from '../list-entries/list-routes.js';

/** The per-city totals. */
export interface CityFigures {
  city: CityId;
  name: string;
  nameZh: string;
  /** Documents whose hash this city anchored: alone plus as Merkle leaves. */
  documentsAnchored: number;
  documentsAnchoredSingly: number;
  documentsAnchoredInBatches: number;
  /** Recognition decisions this city made on other cities' documents. */
  recognitionsGiven: number;
  recognitionsGivenAccepted: number;
  /** Recognition decisions other cities made on this city's documents. */
  recognitionsReceived: number;
  recognitionsReceivedAccepted: number;
  /** Recognition agreements in force with this city as a party. */
  agreementsActive: number;
  /** List entries this city made, by list type and status. */
  listEntries: Record<ListType, Record<EntryStatus, number>>;
  /** Credit-service agencies filed in this city. */
  agencies: number;
  allianceMembers: number;
  agenciesSuspended: number;
  /** Supervision actions this city recorded against agencies. */
  supervisionActions: number;
}

/** One city's activity in one month (China Standard Time). */
export interface MonthFigures {
  /** `YYYY-MM`. */
  month: string;
  city: CityId;
  documentsAnchored: number;
  recognitionsGiven: number;
  listEntriesCreated: number;
  supervisionActions: number;
}

/** The answer of `GET /api/v1/public/statistics`. */
export interface Statistics {
  /** The ledger state the figures reflect. */
  ledger: { blockNumber: number | null; transactionId: string | null; caughtUp: boolean };
  /** The gateway that computed them. */
  computedBy: CityId;
  computedAt: string;
  totals: Omit<CityFigures, 'city' | 'name' | 'nameZh'>;
  cities: CityFigures[];
  months: MonthFigures[];
}

function emptyEntries(): Record<ListType, Record<EntryStatus, number>> {
  return Object.fromEntries(LIST_TYPES.map((t) => [t, Object.fromEntries(ENTRY_STATUSES.map((s) => [s, 0]))])) as Record<
    ListType,
    Record<EntryStatus, number>
  >;
}

function emptyCity(city: CityId): CityFigures {
  const c = cityById(city);
  return {
    city,
    name: c.name,
    nameZh: c.nameZh,
    documentsAnchored: 0,
    documentsAnchoredSingly: 0,
    documentsAnchoredInBatches: 0,
    recognitionsGiven: 0,
    recognitionsGivenAccepted: 0,
    recognitionsReceived: 0,
    recognitionsReceivedAccepted: 0,
    agreementsActive: 0,
    listEntries: emptyEntries(),
    agencies: 0,
    allianceMembers: 0,
    agenciesSuspended: 0,
    supervisionActions: 0,
  };
}

/** `YYYY-MM` of an instant in China Standard Time (or of a date). */
export function chinaMonth(time: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(time)) return time.slice(0, 7);
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : chinaDate(ms).slice(0, 7);
}

const isCity = (c: unknown): c is CityId => typeof c === 'string' && (CITY_IDS as readonly string[]).includes(c);

/** Computes the figures from the index tables, as of `now`. */
export async function computeStatistics(
  tables: IndexTables,
  facts: { blockNumber: number | null; transactionId: string | null; caughtUp: boolean; computedBy: CityId },
  now: number,
): Promise<Statistics> {
  const cities = new Map(CITY_IDS.map((c) => [c, emptyCity(c)]));
  const months = new Map<string, MonthFigures>();
  const month = (time: string | undefined, city: CityId): MonthFigures | undefined => {
    const m = time ? chinaMonth(time) : undefined;
    if (!m) return undefined;
    const key = `${m}|${city}`;
    let figures = months.get(key);
    if (!figures) {
      figures = { month: m, city, documentsAnchored: 0, recognitionsGiven: 0, listEntriesCreated: 0, supervisionActions: 0 };
      months.set(key, figures);
    }
    return figures;
  };

  for await (const [, a] of tables.anchors.entries()) {
    const c = cities.get(a.city);
    if (!c) continue;
    c.documentsAnchoredSingly++;
    const m = month(a.anchoredAt, a.city);
    if (m) m.documentsAnchored++;
  }
  for await (const [, b] of tables.batches.entries()) {
    const c = cities.get(b.city);
    if (!c) continue;
    c.documentsAnchoredInBatches += b.leafCount;
    const m = month(b.anchoredAt, b.city);
    if (m) m.documentsAnchored += b.leafCount;
  }
  for await (const [, r] of tables.recognitions.entries()) {
    const given = cities.get(r.city);
    const received = cities.get(r.issuerCity);
    if (given) {
      given.recognitionsGiven++;
      if (r.decision === 'accepted') given.recognitionsGivenAccepted++;
      const m = month(r.recordedAt, r.city);
      if (m) m.recognitionsGiven++;
    }
    if (received) {
      received.recognitionsReceived++;
      if (r.decision === 'accepted') received.recognitionsReceivedAccepted++;
    }
  }
  for await (const [, a] of tables.agreements.entries()) {
    if (a.state !== 'active' || Date.parse(a.validTo) <= now || Date.parse(a.validFrom) > now) continue;
    for (const party of new Set([a.proposer, a.counterparty])) {
      const c = cities.get(party);
      if (c) c.agreementsActive++;
    }
  }
  const today = chinaDate(now);
  for await (const [, e] of tables.entries.entries()) {
    const c = cities.get(e.city);
    if (!c || !(e.listType in c.listEntries)) continue;
    c.listEntries[e.listType][entryStatus(e, today)]++;
    const m = month(e.createdAt, e.city);
    if (m) m.listEntriesCreated++;
  }
  for await (const [, a] of tables.agencies.entries()) {
    const c = cities.get(a.city);
    if (!c) continue;
    c.agencies++;
    if (a.allianceMember && a.status === 'active') c.allianceMembers++;
    if (a.status === 'suspended') c.agenciesSuspended++;
  }
  // Supervision actions: every recorded action (the agency table keeps only the newest), once per city and action id.
  const actions = new Set<string>();
  for await (const [, event] of tables.events.entries()) {
    if (event.name !== LEDGER_EVENTS.supervisionRecorded) continue;
    const p = event.payload;
    const city = isCity(p.city) ? p.city : event.city;
    if (!city) continue;
    const key = `${city}|${String(p.actionId)}`;
    if (actions.has(key)) continue;
    actions.add(key);
    const c = cities.get(city);
    if (c) c.supervisionActions++;
    const m = month(typeof p.date === 'string' ? p.date : typeof p.recordedAt === 'string' ? p.recordedAt : undefined, city);
    if (m) m.supervisionActions++;
  }

  const list = [...cities.values()];
  for (const c of list) c.documentsAnchored = c.documentsAnchoredSingly + c.documentsAnchoredInBatches;
  const totals = emptyCity('qingdao') as Partial<CityFigures>;
  delete totals.city;
  delete totals.name;
  delete totals.nameZh;
  const sum = totals as Statistics['totals'];
  for (const c of list) {
    for (const key of Object.keys(sum) as (keyof Statistics['totals'])[]) {
      if (key === 'listEntries') {
        for (const t of LIST_TYPES) for (const s of ENTRY_STATUSES) sum.listEntries[t][s] += c.listEntries[t][s];
      } else if (key === 'agreementsActive') {
        continue;
      } else sum[key] += c[key];
    }
  }
  // an agreement has two parties: count it once in the totals
  sum.agreementsActive = list.reduce((n, c) => n + c.agreementsActive, 0) / 2;
  return {
    ledger: { blockNumber: facts.blockNumber, transactionId: facts.transactionId, caughtUp: facts.caughtUp },
    computedBy: facts.computedBy,
    computedAt: new Date(now).toISOString(),
    totals: sum,
    cities: list,
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month) || CITY_IDS.indexOf(a.city) - CITY_IDS.indexOf(b.city)),
  };
}

/** The figures as CSV rows `period,city,metric,value,blockNumber` (period `total` or `YYYY-MM`; city `all` for totals). */
export function statisticsCsv(stats: Statistics): string {
  const block = stats.ledger.blockNumber ?? '';
  const rows: string[] = ['period,city,metric,value,blockNumber'];
  const flat = (prefix: string, figures: Omit<CityFigures, 'city' | 'name' | 'nameZh'>, city: string) => {
    for (const [metric, value] of Object.entries(figures)) {
      if (metric === 'listEntries') {
        for (const t of LIST_TYPES)
          for (const s of ENTRY_STATUSES) rows.push(`${prefix},${city},listEntries.${t}.${s},${figures.listEntries[t][s]},${block}`);
      } else if (typeof value === 'number') rows.push(`${prefix},${city},${metric},${value},${block}`);
    }
  };
  flat('total', stats.totals, 'all');
  for (const c of stats.cities) {
    const { city, name: _n, nameZh: _z, ...figures } = c;
    flat('total', figures, city);
  }
  for (const m of stats.months)
    for (const metric of ['documentsAnchored', 'recognitionsGiven', 'listEntriesCreated', 'supervisionActions'] as const)
      rows.push(`${m.month},${m.city},${metric},${m[metric]},${block}`);
  return rows.join('\r\n') + '\r\n';
}
