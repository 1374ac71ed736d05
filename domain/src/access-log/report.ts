import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { CityId } from '../cities.js';
import { verifyInclusion, type InclusionProof } from '../merkle/proof.js';
import type { TreeHeadRecord } from '../ledger/access-log.js';
import { ACCESS_LOG_SCHEME, TREE_HEAD_FORMAT, TREE_HEAD_JWS_TYPE, accessEntryHash, type AccessLogEntry, type Accessor } from './formats.js';

/** Format tag of a subject access report. */
export const ACCESS_REPORT_FORMAT = 'jcc-access-report/v1';

/** An entry of a city's log with its inclusion proof against that city's anchored head. */
export interface ReportEntry {
  entry: AccessLogEntry;
  /** SHA-256 of the entry's canonical JSON, hex. */
  entryHash: string;
  proof: Omit<InclusionProof, 'txId' | 'blockNumber'>;
}

/** One city's part of a subject access report. */
export interface CityAccessPart {
  /** `verified`: every entry proven against the anchored head; `failed`: a check failed (see `problems`); `unavailable`: the city's gateway did not answer. */
  status: 'verified' | 'failed' | 'unavailable';
  /** The city's anchored tree head, as the ledger holds it (null when none was anchored yet). */
  head: TreeHeadRecord | null;
  entries: ReportEntry[];
  /** Entries appended after the anchored head (listed by the city, not yet provable). */
  pending: number;
  problems: string[];
}

/** A subject access report (知情权): who accessed a subject's records, in all five cities, with proofs. */
export interface AccessReport {
  format: typeof ACCESS_REPORT_FORMAT;
  subjectPseudonym: string;
  generatedAt: string;
  generatedBy: { city: CityId; accessor: Accessor };
  cities: Partial<Record<CityId, CityAccessPart>>;
  /** Every proven access, oldest first. */
  accesses: Array<Pick<AccessLogEntry, 'at' | 'log' | 'index' | 'action' | 'accessor' | 'document'>>;
  /** True when every city answered and every part verified. */
  verified: boolean;
}

/** A registered public JWK of a city (the ledger's `cities:GetKey`), or undefined. */
export type KeyLookup = (
  city: CityId,
  kid: string,
) => Promise<{ jwk: Record<string, unknown>; use: string; revokedAt?: string } | undefined>;

/**
 * Checks a signed tree head against the anchored record and the city's
 * registered key: header `{alg: EdDSA, kid, typ: jcc-tree-head+jws}`, payload
 * stating the record's city, size, root and time, signature by a registered,
 * unrevoked document key of the city. Returns the problems found (none: valid).
 */
export async function treeHeadProblems(city: CityId, head: TreeHeadRecord, keys: KeyLookup): Promise<string[]> {
  const parts = head.signedTreeHead.split('.');
  if (parts.length !== 3) return ['the signed tree head is not a compact JWS'];
  const [h, p, sig] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return ['the signed tree head does not decode'];
  }
  const problems: string[] = [];
  if (header.alg !== 'EdDSA' || header.typ !== TREE_HEAD_JWS_TYPE || typeof header.kid !== 'string')
    problems.push('the signed tree head has the wrong header');
  if (
    payload.v !== TREE_HEAD_FORMAT ||
    payload.city !== city ||
    payload.treeSize !== head.treeSize ||
    payload.rootHash !== head.rootHash ||
    payload.scheme !== ACCESS_LOG_SCHEME
  )
    problems.push('the signed tree head states another city, size or root than the anchored record');
  if (head.city !== city) problems.push(`the anchored head is ${head.city}'s, not ${city}'s`);
  if (typeof header.kid === 'string') {
    const key = await keys(city, header.kid);
    if (!key || key.use !== 'document' || key.revokedAt !== undefined)
      problems.push(`key ${city}/${header.kid} is not a registered, unrevoked document key`);
    else {
      let ok = false;
      try {
        ok = verifySignature(
          null,
          Buffer.from(`${h}.${p}`),
          createPublicKey({ key: key.jwk as never, format: 'jwk' }),
          Buffer.from(sig, 'base64url'),
        );
      } catch {
        ok = false;
      }
      if (!ok) problems.push('the signature of the tree head does not verify');
    }
  }
  return problems;
}

/** The problems of one proven entry against the head it claims (none: it is in the anchored log, unaltered). */
export function entryProblems(city: CityId, subjectPseudonym: string, head: TreeHeadRecord, item: ReportEntry): string[] {
  const problems: string[] = [];
  const at = `entry ${item.entry.index}`;
  if (accessEntryHash(item.entry) !== item.entryHash) problems.push(`${at}: the entry does not hash to ${item.entryHash} (altered)`);
  if (item.entry.log !== city) problems.push(`${at}: belongs to another city's log`);
  if (item.entry.index !== item.proof.leafIndex) problems.push(`${at}: the proof is for leaf ${item.proof.leafIndex}`);
  if (item.entry.subjectPseudonym !== subjectPseudonym) problems.push(`${at}: is about another subject`);
  if (item.proof.treeSize !== head.treeSize || item.proof.root !== head.rootHash)
    problems.push(`${at}: proven against another tree than the anchored head`);
  else if (!verifyInclusion(accessEntryHash(item.entry), item.proof, ACCESS_LOG_SCHEME))
    problems.push(`${at}: the inclusion proof does not lead to the anchored root`);
  return problems;
}
