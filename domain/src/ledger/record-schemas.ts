import { z } from 'zod';
import { DOCUMENT_TYPES } from '../document.js';
import {
  AGENCY_STATUSES,
  DOCUMENT_STATUSES,
  IDENTITY_ROLES,
  KEY_REVOCATION_REASONS,
  KEY_USES,
  LIST_TYPES,
  OBJECTION_OUTCOMES,
  RECOGNITION_DECISIONS,
  REMOVAL_REASONS,
  SUPERVISION_ACTIONS,
} from './enums.js';
import { cityIdField, publicJwkField } from './fields.js';
import type { ChunkedEvaluation } from './evaluationChunk.js';
import type {
  AgencyRecord,
  AgencyView,
  AgreementView,
  BatchRecord,
  CityView,
  DocumentAnchorRecord,
  DocumentStatusRecord,
  DocumentView,
  EvaluationRecord,
  IdentityView,
  KeyRecord,
  ListEntryRecord,
  ListEntryView,
  ObjectionAnswerRecord,
  ObjectionRecord,
  RecognitionRecord,
  RecognitionVerdict,
  SupervisionRecord,
} from './records.js';
import type { TreeHeadRecord } from './access-log.js';

/**
 * zod schemas of the ledger records as the chaincode returns them
 * (`records.ts` describes each member). The gateway's route declarations use
 * them as response schemas, so its OpenAPI document, and the client types
 * generated from it, state the records exactly. Each is typed against its
 * record interface, so the two cannot drift apart without the compiler
 * saying so (`satisfies`). Timestamps are plain strings here: the chaincode wrote them.
 */

const timestamp = z.string().describe('RFC 3339 UTC timestamp with milliseconds');
const txId = z.string().describe('Fabric transaction id');
const hash = z.string().describe('lowercase hex SHA-256');
const city = cityIdField;

/** {@link KeyRecord}. */
export const keyRecordSchema = z.object({
  city,
  kid: z.string(),
  use: z.enum(KEY_USES),
  jwk: publicJwkField,
  validFrom: timestamp,
  validTo: timestamp.optional(),
  revokedAt: timestamp.optional(),
  revokedTxId: z.string().optional(),
  revocationReason: z.enum(KEY_REVOCATION_REASONS).optional(),
  supersededBy: z.string().optional(),
  registeredAt: timestamp,
  txId,
}) satisfies z.ZodType<KeyRecord>;

/** {@link CityView}. */
export const cityViewSchema = z.object({
  id: city,
  name: z.string(),
  nameZh: z.string(),
  divisionCode: z.string(),
  mspId: z.string(),
  gatewayUrl: z.string().optional(),
  keys: z.array(keyRecordSchema),
}) satisfies z.ZodType<CityView>;

const identityRevocation = z.object({ city, revokedAt: timestamp, reason: z.enum(KEY_REVOCATION_REASONS) });

/** {@link IdentityView}. */
export const identityViewSchema = z.object({
  id: z.string(),
  role: z.enum(IDENTITY_ROLES),
  jwk: publicJwkField,
  validFrom: timestamp,
  validTo: timestamp,
  city,
  registeredAt: timestamp,
  txId,
  approvals: z.array(city),
  revocations: z.array(identityRevocation),
  quorum: z.number().int(),
  active: z.boolean(),
}) satisfies z.ZodType<IdentityView>;

/** {@link TreeHeadRecord}: a signed tree head of an access log, as anchored. */
export const treeHeadRecordSchema = z.object({
  city,
  log: z.string().optional(),
  treeSize: z.number().int(),
  rootHash: hash,
  timestamp,
  signedTreeHead: z.string().describe('the compact JWS of the tree head'),
  previousTreeSize: z.number().int().optional(),
  anchoredAt: timestamp,
  txId,
}) satisfies z.ZodType<TreeHeadRecord>;

/** {@link DocumentAnchorRecord}. */
export const documentAnchorRecordSchema = z.object({
  city,
  id: z.string(),
  docType: z.enum(DOCUMENT_TYPES),
  subjectPseudonym: z.string(),
  contentHash: z.string(),
  contentHashSm3: z.string().optional(),
  issuedAt: timestamp,
  validUntil: timestamp,
  kid: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  statusTxId: z.string().optional(),
  anchoredAt: timestamp,
  txId,
}) satisfies z.ZodType<DocumentAnchorRecord>;

/** {@link DocumentStatusRecord}. */
export const documentStatusRecordSchema = z.object({
  city,
  id: z.string(),
  status: z.enum(['revoked', 'superseded']),
  reasonHash: hash.describe('salted SHA-256 of the reason; the text stays in the issuing gateway'),
  replacementId: z.string().optional(),
  batchId: z.string().optional(),
  at: timestamp,
  txId,
}) satisfies z.ZodType<DocumentStatusRecord>;

/** {@link DocumentView}. */
export const documentViewSchema = z.object({
  anchor: documentAnchorRecordSchema.optional(),
  status: documentStatusRecordSchema.optional(),
  effectiveStatus: z.enum(DOCUMENT_STATUSES),
}) satisfies z.ZodType<DocumentView>;

/** {@link BatchRecord}. */
export const batchRecordSchema = z.object({
  city,
  batchId: z.string(),
  root: z.string(),
  leafCount: z.number().int(),
  leafScheme: z.string(),
  rootSm3: z.string().optional(),
  leafSchemeSm3: z.string().optional(),
  firstIssuedAt: timestamp,
  lastIssuedAt: timestamp,
  anchoredAt: timestamp,
  txId,
}) satisfies z.ZodType<BatchRecord>;

/** {@link EvaluationRecord}. */
export const evaluationRecordSchema = z.object({
  city,
  id: z.string(),
  subjectPseudonym: z.string(),
  scheme: z.string(),
  grade: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  validUntil: timestamp,
  evidenceHash: z.string(),
  recordedAt: timestamp,
  txId,
}) satisfies z.ZodType<EvaluationRecord>;

const listEntryRecordShape = {
  city,
  id: z.string(),
  subjectPseudonym: z.string(),
  listType: z.enum(LIST_TYPES),
  legalBasisHash: z.string(),
  measuresHash: z.string(),
  startDate: z.string(),
  endDate: z.string().optional(),
  documentHash: z.string().optional(),
  state: z.enum(['listed', 'removed']),
  removal: z
    .object({
      reason: z.enum(REMOVAL_REASONS),
      noteHash: z.string(),
      evidenceHash: z.string().optional(),
      at: timestamp,
      txId,
    })
    .optional(),
  createdAt: timestamp,
  txId,
};

/** {@link ListEntryRecord}. */
export const listEntryRecordSchema = z.object(listEntryRecordShape) satisfies z.ZodType<ListEntryRecord>;

const objectionRecordShape = {
  city,
  objectionId: z.string(),
  entryCity: city,
  entryId: z.string(),
  groundsHash: z.string(),
  registeredAt: timestamp,
  txId,
};

/** {@link ObjectionRecord}. */
export const objectionRecordSchema = z.object(objectionRecordShape) satisfies z.ZodType<ObjectionRecord>;

/** {@link ObjectionAnswerRecord}. */
export const objectionAnswerRecordSchema = z.object({
  city,
  objectionCity: city,
  objectionId: z.string(),
  entryId: z.string(),
  outcome: z.enum(OBJECTION_OUTCOMES),
  noteHash: z.string(),
  answerHash: z.string().optional(),
  entryRemoved: z.boolean(),
  answeredAt: timestamp,
  txId,
}) satisfies z.ZodType<ObjectionAnswerRecord>;

/** {@link ListEntryView}. */
export const listEntryViewSchema = z.object({
  ...listEntryRecordShape,
  objections: z.array(z.object({ ...objectionRecordShape, answer: objectionAnswerRecordSchema.optional() })),
}) satisfies z.ZodType<ListEntryView>;

const agencyRecordShape = {
  uscc: z.string(),
  city,
  name: z.string(),
  services: z.array(z.string()),
  status: z.enum(AGENCY_STATUSES),
  statusReasonHash: hash
    .optional()
    .describe("salted SHA-256 of the last status change's reason; the text stays in the filing city's gateway"),
  allianceMember: z.boolean(),
  filedAt: timestamp,
  updatedAt: timestamp,
  txId,
};

/** {@link AgencyRecord}. */
export const agencyRecordSchema = z.object(agencyRecordShape) satisfies z.ZodType<AgencyRecord>;

/** {@link SupervisionRecord}. */
export const supervisionRecordSchema = z.object({
  uscc: z.string(),
  city,
  actionId: z.string(),
  action: z.enum(SUPERVISION_ACTIONS),
  summaryHash: hash.describe("salted SHA-256 of the summary; the text stays in the recording city's gateway"),
  date: z.string(),
  recordedAt: timestamp,
  txId,
}) satisfies z.ZodType<SupervisionRecord>;

/** {@link AgencyView}. */
export const agencyViewSchema = z.object({
  ...agencyRecordShape,
  supervision: z.array(supervisionRecordSchema),
}) satisfies z.ZodType<AgencyView>;

/** {@link AgreementView}. */
export const agreementViewSchema = z.object({
  agreementId: z.string(),
  proposer: city,
  counterparty: city,
  docTypes: z.array(z.enum(DOCUMENT_TYPES)),
  validFrom: timestamp,
  validTo: timestamp,
  state: z.enum(['proposed', 'active', 'ended']),
  proposedAt: timestamp,
  acceptedAt: timestamp.optional(),
  endedAt: timestamp.optional(),
  endedBy: city.optional(),
  endReasonHash: hash.optional().describe('salted SHA-256 of the reason for ending; the text is held by the gateway of `endedBy`'),
}) satisfies z.ZodType<AgreementView>;

const recognitionDecisionShape = {
  decision: z.enum(RECOGNITION_DECISIONS),
  reasonHash: hash.describe("salted SHA-256 of the reason; the text is held by the recognising city's gateway"),
  agreementId: z.string().optional(),
  recordedAt: timestamp,
  txId,
};

/** {@link RecognitionRecord}. */
export const recognitionRecordSchema = z.object({
  ...recognitionDecisionShape,
  city,
  issuerCity: city,
  documentId: z.string(),
  history: z.array(z.object(recognitionDecisionShape)),
}) satisfies z.ZodType<RecognitionRecord>;

/** {@link RecognitionVerdict}. */
export const recognitionVerdictSchema = z.object({
  recognised: z.boolean(),
  basis: z.enum(['agreement', 'record', 'none']),
  agreementId: z.string().optional(),
  decision: z.enum(RECOGNITION_DECISIONS).optional(),
}) satisfies z.ZodType<RecognitionVerdict>;

/** A page of records of a paginated ledger query (`{records, bookmark, fetched}`; an empty bookmark means no more). */
export function pageSchema<T extends z.ZodType>(record: T) {
  return z.object({ records: z.array(record), bookmark: z.string(), fetched: z.number().int() });
}

/** {@link ChunkedEvaluation}: an evaluation record's fields (without `recordedAt`, `txId`) and its correction marks. */
export const chunkedEvaluationSchema = evaluationRecordSchema.omit({ recordedAt: true, txId: true }).extend({
  supersedes: z.string().optional(),
  withdrawn: z.literal(true).optional(),
}) satisfies z.ZodType<ChunkedEvaluation>;

/** A chunk Merkle proof of one record (RFC 9162, SHA-256), without the transaction facts. */
export const chunkProofSchema = z.object({
  leafHash: z.string(),
  leafIndex: z.number().int(),
  treeSize: z.number().int(),
  auditPath: z.array(z.string()),
  root: z.string(),
});
