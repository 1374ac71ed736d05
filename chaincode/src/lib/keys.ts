import type { Context } from 'fabric-contract-api';

/**
 * The world-state layout of `creditchain`: every key is a composite key
 * (`\u0000objectType\u0000attr1\u0000...\u0000`). Primary keys hold a
 * record; index keys (object type with `~`) hold a one-byte placeholder and
 * point at a primary key through their attributes. Every attribute is a city
 * id, a record id, a pseudonym, a USCC or a fixed-width number, so none
 * contains U+0000 or U+10FFFF.
 */
export const OBJECT_TYPES = {
  /** [city, kid] → key record. */
  cityKey: 'cityKey',
  /** [city] → the city's key set: the keys and identities it vouches for (owner-protected). */
  cityKeySet: 'cityKeySet',
  /** [identityId] → a regulator or alliance identity as proposed. */
  identity: 'identity',
  /** [city] → city profile (gateway URL). */
  cityProfile: 'cityProfile',
  /** [city, id] → document anchor. */
  document: 'document',
  /** [city, id] → document status (revoked / superseded). */
  documentStatus: 'documentStatus',
  /** [subjectPseudonym, city, id] → index of document anchors by subject. */
  documentBySubject: 'document~subject',
  /** [city, batchId] → batch record. */
  batch: 'batch',
  /** [city, id] → evaluation. */
  evaluation: 'evaluation',
  /** [city, chunkId] → a chunk of evaluations (owner-protected; its id is the Merkle root of its records). */
  evaluationChunk: 'evaluationChunk',
  /** [subjectPseudonym, city, id] → index of evaluations by subject. */
  evaluationBySubject: 'evaluation~subject',
  /** [city, id] → list entry. */
  listEntry: 'listEntry',
  /** [subjectPseudonym, city, id] → index of list entries by subject. */
  listEntryBySubject: 'listEntry~subject',
  /** [registrarCity, objectionId] → objection. */
  objection: 'objection',
  /** [entryCity, entryId, registrarCity, objectionId] → index of objections by entry. */
  objectionByEntry: 'objection~entry',
  /** [objectionCity, objectionId] → answer to an objection. */
  objectionAnswer: 'objectionAnswer',
  /** [uscc] → agency filing. */
  agency: 'agency',
  /** [filingCity, status, uscc] → index of agencies by filing city and status. */
  agencyByCityStatus: 'agency~city~status',
  /** [status, filingCity, uscc] → index of agencies by status. */
  agencyByStatusCity: 'agency~status~city',
  /** [uscc, recordingCity, actionId] → supervision record. */
  supervision: 'supervision',
  /** [uscc, reverseTime, recordingCity, actionId] → index of supervision records, newest first. */
  supervisionByRecency: 'supervision~recent',
  /** [agreementId] → agreement proposal. */
  agreement: 'agreement',
  /** [agreementId] → acceptance by the counterparty. */
  agreementAcceptance: 'agreementAcceptance',
  /** [agreementId] → end of the agreement, by either party. */
  agreementEnd: 'agreementEnd',
  /** [city, otherCity, agreementId] → index of agreements by party (one entry per party). */
  agreementByCity: 'agreement~city',
  /** [issuerCity, documentId, recognisingCity] → recognition record. */
  recognition: 'recognition',
  /** [city, treeSize (16 digits)] → an anchored tree head of the city's access log. */
  accessLogHead: 'accessLogHead',
  /** [city] → the latest anchored tree head of the city's access log. */
  accessLogLatest: 'accessLogLatest',
} as const;

/** One of the object types of {@link OBJECT_TYPES}. */
export type ObjectType = (typeof OBJECT_TYPES)[keyof typeof OBJECT_TYPES];

/** The composite key of `objectType` with these attributes. */
export function compositeKey(ctx: Context, objectType: ObjectType, attributes: readonly string[]): string {
  return ctx.stub.createCompositeKey(objectType, [...attributes]);
}

/** Largest millisecond count written in a reverse-time attribute (year 2286). */
const REVERSE_TIME_BASE = 9_999_999_999_999;

/**
 * A fixed-width attribute that sorts later instants first: 13 digits of
 * `9999999999999 - millis`.
 */
export function reverseTimeAttribute(millis: number): string {
  return String(REVERSE_TIME_BASE - millis).padStart(13, '0');
}
