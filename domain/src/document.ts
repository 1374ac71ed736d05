import type { CityId } from './cities.js';

/**
 * The off-chain credit documents a city issues and whose SHA-256 it anchors.
 */

/** Kinds of document a city issues. */
export const DOCUMENT_TYPES = ['creditReport', 'evaluation', 'listEntry', 'agencyFiling'] as const;
/** A kind of document: public credit report (公共信用信息报告), evaluation result (信用评价结果), reward/punishment list entry (联合奖惩名单), agency filing (信用服务机构备案). */
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Version tag of the document format, written in every document. */
export const DOCUMENT_SCHEMA = 'jcc-document/v1';

/** The JWS `typ` header value of a signed document. */
export const DOCUMENT_JWS_TYPE = 'jcc-document+jws';

/** Subject as written in a document: the identifier the issuing city knows, and its ledger pseudonym. */
export type DocumentSubject =
  { kind: 'enterprise'; uscc: string; pseudonym: string } | { kind: 'person'; idNumber: string; pseudonym: string };

/**
 * A credit document. Serialised as RFC 8785 canonical JSON, it is the payload
 * of a compact JWS signed by the issuing city; the SHA-256 of the compact JWS
 * (its ASCII bytes) is the hash anchored on the ledger.
 */
export interface CreditDocument {
  schema: typeof DOCUMENT_SCHEMA;
  /** Unique per issuing city. */
  id: string;
  type: DocumentType;
  issuer: { city: CityId; mspId: string };
  subject: DocumentSubject;
  /** RFC 3339 UTC timestamp. */
  issuedAt: string;
  /** RFC 3339 UTC timestamp after which the document is no longer in force. */
  validUntil: string;
  /** Type-specific content (report type, findings, grade, ...). */
  content: Record<string, unknown>;
}

/** Pattern of record ids (document ids, batch ids, entry ids, ...): 1-128 characters of `A-Z a-z 0-9 . _ : -`. */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** True when `value` is a well-formed record id. */
export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID_PATTERN.test(value);
}
