import { isValidUscc, type AgencyStatus, type CityId } from '@jcc/domain';
import { normaliseName, queryTerms } from '../index/agency-terms.js';
import type { IndexedAgency, ListTables } from '../index/list-tables.js';
import { decodeBookmark, encodeBookmark } from '../lists/page.js';

/**
 * Alliance standing (联盟成员资格) as the public sees it: a member is in good
 * standing only while its filing is active; a suspended or revoked agency
 * that is still flagged a member is shown as such, never as in good standing.
 */
export type AllianceStanding = 'goodStanding' | 'suspended' | 'revoked' | 'notMember';

/** The alliance standing of an agency. */
export function allianceStanding(agency: { allianceMember: boolean; status: AgencyStatus }): AllianceStanding {
  if (!agency.allianceMember) return 'notMember';
  if (agency.status === 'active') return 'goodStanding';
  return agency.status;
}

/** Filters of an agency search. */
export interface AgencyFilters {
  /** A name (fragment) or a USCC. */
  q?: string;
  /** `member`: flagged a member (any status); `goodStanding`: a member with an active filing; `nonMember`. */
  alliance?: 'member' | 'goodStanding' | 'nonMember';
  status?: AgencyStatus;
  /** A service the agency offers (exact). */
  service?: string;
  city?: CityId;
}

/** Whether an agency passes the filters other than `q`. */
export function agencyMatches(a: IndexedAgency, f: AgencyFilters): boolean {
  if (f.status && a.status !== f.status) return false;
  if (f.city && a.city !== f.city) return false;
  if (f.service && !a.services.includes(f.service)) return false;
  if (f.alliance === 'member' && !a.allianceMember) return false;
  if (f.alliance === 'nonMember' && a.allianceMember) return false;
  if (f.alliance === 'goodStanding' && allianceStanding(a) !== 'goodStanding') return false;
  return true;
}

/** A page of agencies, in USCC order. */
export interface AgencyPage {
  records: IndexedAgency[];
  bookmark: string;
}

/**
 * Searches the index's agencies. A query that is a valid USCC looks that
 * agency up; any other query is matched against the names through the
 * inverted index of character bigrams (the candidates holding every bigram
 * of the query are read, then checked for the whole query), never by reading
 * every agency. Without a query, the agencies are read in USCC order. Results
 * are in USCC order; the bookmark names the last one served.
 */
export async function searchAgencies(
  tables: Pick<ListTables, 'agencies' | 'agencyTerms'>,
  filters: AgencyFilters,
  pageSize: number,
  fingerprint: string,
  bookmark?: string,
): Promise<AgencyPage> {
  const after = bookmark ? decodeBookmark(bookmark, fingerprint) : undefined;
  const q = filters.q?.trim() ?? '';
  const records: IndexedAgency[] = [];
  let more = false;
  if (q === '') {
    for await (const [, agency] of tables.agencies.entries(after === undefined ? {} : { gt: after })) {
      if (!agencyMatches(agency, filters)) continue;
      if (records.length === pageSize) {
        more = true;
        break;
      }
      records.push(agency);
    }
  } else {
    const candidates = await candidateUsccs(tables, q);
    const sorted = candidates.filter((u) => after === undefined || u > after).sort();
    for (let i = 0; i < sorted.length; i += 100) {
      const chunk = sorted.slice(i, i + 100);
      const agencies = await tables.agencies.getMany(chunk);
      for (const agency of agencies) {
        if (!agency || !agencyMatches(agency, filters) || !nameOrUsccMatches(agency, q)) continue;
        if (records.length === pageSize) {
          more = true;
          break;
        }
        records.push(agency);
      }
      if (more) break;
    }
  }
  const last = records.at(-1);
  return { records, bookmark: more && last ? encodeBookmark(last.uscc, fingerprint) : '' };
}

/** True when the agency's name contains the query, or the query is its USCC. */
function nameOrUsccMatches(agency: IndexedAgency, q: string): boolean {
  if (agency.uscc === q.toUpperCase()) return true;
  return normaliseName(agency.name).includes(normaliseName(q));
}

/** The USCCs of the agencies that may match `q` (see {@link searchAgencies}). */
async function candidateUsccs(tables: Pick<ListTables, 'agencyTerms'>, q: string): Promise<string[]> {
  const upper = q.toUpperCase();
  if (isValidUscc(upper)) return [upper];
  const terms = queryTerms(normaliseName(q));
  if (terms.length === 0) return [];
  let result: Set<string> | undefined;
  // Shortest posting lists first would be better still; reading them all stays proportional to the matches of each term.
  for (const term of terms) {
    const postings = new Set<string>();
    for await (const key of tables.agencyTerms.keys({ gte: `${term}|`, lt: `${term}|\uffff` })) {
      const uscc = key.slice(term.length + 1);
      if (result === undefined || result.has(uscc)) postings.add(uscc);
    }
    result = postings;
    if (result.size === 0) break;
  }
  return [...(result ?? [])];
}
