import type { CityId } from '../cities.js';
import { canonicalJsonBytes } from '../canonicalJson.js';
import { sha256Hex } from '../hash.js';
import { LEAF_SCHEME, leafHash } from '../merkle/hashing.js';

/**
 * The access log (访问日志, the subject's 知情权): what one city's gateway
 * appends for every access to a subject's records, and the signed tree head
 * over those entries. See docs/access-log.md.
 */

/** What kind of access an entry records. */
export const ACCESS_ACTIONS = [
  /** A subject look-up across the five cities (`POST /api/v1/subjects/lookup`). */
  'subject-lookup',
  /** This city's documents of a subject shared with another city's look-up. */
  'subject-documents-shared',
  /** One of this city's documents served to a caller (`GET /api/v1/documents/{id}`). */
  'document-shared',
  /** Another city's document fetched through its gateway (`GET /api/v1/peer-documents/{city}/{id}`). */
  'document-fetched',
  /** A recognition decision on another city's document. */
  'recognition',
  /** A subject access report produced for the subject. */
  'access-report',
] as const;
/** One of {@link ACCESS_ACTIONS}. */
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** Who made an access: the caller's role, city, registered identity and token subject. */
export interface Accessor {
  role: string;
  /** The city whose gateway issued the caller's token (absent for a regulator's or alliance member's own token). */
  city?: CityId;
  /** The registered identity (regulators, alliance members). */
  identity?: string;
  /** The token subject (a staff or system name; never a personal identifier). */
  subject: string;
}

/** One entry of a city's access log. Its leaf in the tree is H(0x00 || SHA-256(canonical JSON of the entry)). */
export interface AccessLogEntry {
  /** Format tag. */
  v: typeof ACCESS_ENTRY_FORMAT;
  /** The city whose log this is. */
  log: CityId;
  /** Zero-based position in the log. */
  index: number;
  /** When the access happened (RFC 3339, UTC). */
  at: string;
  action: AccessAction;
  /** The keyed pseudonym of the subject (never an identifier). */
  subjectPseudonym: string;
  accessor: Accessor;
  /** The document concerned, for document and recognition accesses. */
  document?: { city: CityId; id: string };
}

/** Format tag of an access log entry. */
export const ACCESS_ENTRY_FORMAT = 'jcc-access-log-entry/v1';
/** Format tag of a tree head payload. */
export const TREE_HEAD_FORMAT = 'jcc-access-log-head/v1';
/** `typ` of the JWS header of a signed tree head (never `jcc-document+jws`: a head is not a document). */
export const TREE_HEAD_JWS_TYPE = 'jcc-tree-head+jws';
/** The tree of the access log: RFC 9162 with SHA-256 (as the document batches). */
export const ACCESS_LOG_SCHEME = LEAF_SCHEME;

/** The payload of a signed tree head: the log's size and root at a time. */
export interface TreeHead {
  v: typeof TREE_HEAD_FORMAT;
  city: CityId;
  treeSize: number;
  /** MTH of the first `treeSize` entries, hex (SHA-256 of the empty string for an empty log). */
  rootHash: string;
  /** When the head was signed (RFC 3339, UTC). */
  timestamp: string;
  scheme: typeof ACCESS_LOG_SCHEME;
}

/** SHA-256 of the entry's canonical JSON (RFC 8785), hex: what the log's tree takes as the leaf entry. */
export function accessEntryHash(entry: AccessLogEntry): string {
  return sha256Hex(canonicalJsonBytes(entry));
}

/** The RFC 9162 leaf hash of an entry, hex. */
export function accessEntryLeafHash(entry: AccessLogEntry): string {
  return leafHash(Buffer.from(accessEntryHash(entry), 'hex')).toString('hex');
}

/** Root of the empty tree (RFC 9162: the hash of the empty string). */
export const EMPTY_TREE_ROOT = sha256Hex(new Uint8Array(0));
