import type * as z from 'zod';
import type { CityId } from '../cities.js';
import type { DocumentType } from '../document.js';
import type {
  AgencyStatus,
  DocumentStatus,
  IdentityRole,
  KeyRevocationReason,
  KeyUse,
  ListType,
  ObjectionOutcome,
  RecognitionDecision,
  RemovalReason,
  SupervisionAction,
} from './enums.js';
import type { publicJwkField } from './fields.js';

/**
 * The records `creditchain` keeps and returns, as written (canonical JSON).
 * Timestamps are RFC 3339 UTC with milliseconds; `txId` is the Fabric
 * transaction that wrote the record. Optional members are absent, never null.
 */

/** A public JWK as registered (Ed25519, P-256 or SM2, with `kid`). */
export type PublicJwk = z.output<typeof publicJwkField>;

/** A signing key a city registered (`cities:RegisterKey`). */
export interface KeyRecord {
  city: CityId;
  kid: string;
  use: KeyUse;
  jwk: PublicJwk;
  validFrom: string;
  validTo?: string;
  /** Set by `RevokeKey`: from this instant on the key is no longer valid. */
  revokedAt?: string;
  /** Transaction that revoked the key. */
  revokedTxId?: string;
  /** Why the key was revoked (set with `revokedAt`). */
  revocationReason?: KeyRevocationReason;
  /** Set by `RotateKey` on the key it closes: the key that replaced this one. */
  supersededBy?: string;
  registeredAt: string;
  txId: string;
}

/**
 * The keys a city vouches for (`cityKeySet [city]`): the thumbprint
 * (RFC 7638) of each key it registered, and of each identity it approved.
 * It carries the city's key-level endorsement policy and every registration,
 * rotation and approval rewrites it, so only a transaction endorsed by the
 * city's own peer can change it. A key record counts as the city's only
 * when this set lists its kid with the same thumbprint; a key record written
 * by other cities (with a modified chaincode) is not listed, and is not trusted.
 */
export interface CityKeySetRecord {
  city: CityId;
  /** kid → thumbprint of the key's JWK. */
  keys: Record<string, string>;
  /** identity id → thumbprint of the identity's JWK, for each identity the city approved. */
  approvedIdentities: Record<string, string>;
  /** identity id → when and why the city revoked it. */
  revokedIdentities: Record<string, { revokedAt: string; reason: KeyRevocationReason }>;
  updatedAt: string;
  txId: string;
}

/** A regulator or alliance member as proposed by a city (`identities:ProposeIdentity`). Never changes. */
export interface IdentityRecord {
  id: string;
  role: IdentityRole;
  jwk: PublicJwk;
  validFrom: string;
  validTo: string;
  /** The proposing city (which owns the record). */
  city: CityId;
  registeredAt: string;
  txId: string;
}

/**
 * An identity as `identities:GetIdentity` returns it: the record, who vouches
 * for it, and whether it is active. Approvals and revocations come from the
 * cities' key sets only, never from the identity record, which the
 * chaincode endorsement policy alone governs when it is created.
 */
export interface IdentityView extends IdentityRecord {
  /** Cities whose key set lists the identity with this key (the proposer included). */
  approvals: CityId[];
  /** Cities that revoked it. One revocation ends the identity everywhere. */
  revocations: Array<{ city: CityId; revokedAt: string; reason: KeyRevocationReason }>;
  /** Approvals needed. */
  quorum: number;
  /** Approved by the quorum and not revoked (validity window not applied: check it at the instant that matters). */
  active: boolean;
}

/** What a city maintains about itself besides its keys. */
export interface CityProfileRecord {
  city: CityId;
  gatewayUrl: string;
  updatedAt: string;
  txId: string;
}

/** A city as returned by `cities:GetCity` / `ListCities`. */
export interface CityView {
  id: CityId;
  name: string;
  nameZh: string;
  divisionCode: string;
  mspId: string;
  gatewayUrl?: string;
  keys: KeyRecord[];
}

/**
 * A document anchored alone (`reports:AnchorDocument`). Only `status` ever
 * changes (with `statusTxId`), when the issuer revokes or supersedes it.
 */
export interface DocumentAnchorRecord {
  city: CityId;
  id: string;
  docType: DocumentType;
  subjectPseudonym: string;
  contentHash: string;
  /** SM3 of the same bytes as `contentHash`, when the issuer anchored it. */
  contentHashSm3?: string;
  issuedAt: string;
  validUntil: string;
  kid: string;
  status: DocumentStatus;
  /** Transaction that last changed `status`. */
  statusTxId?: string;
  anchoredAt: string;
  /** Transaction that anchored the document. */
  txId: string;
}

/** The issuer's status decision on one of its documents (revoked or superseded). */
export interface DocumentStatusRecord {
  city: CityId;
  id: string;
  status: Exclude<DocumentStatus, 'active'>;
  /** Salted SHA-256 of the reason, which stays in the issuing gateway. */
  reasonHash: string;
  replacementId?: string;
  /** The batch holding the document, when it was anchored in one. */
  batchId?: string;
  at: string;
  txId: string;
}

/** `reports:GetDocument`: the anchor and/or the status record, and the status in force. */
export interface DocumentView {
  anchor?: DocumentAnchorRecord;
  status?: DocumentStatusRecord;
  /** `status.status` when a status record exists, else `active`. */
  effectiveStatus: DocumentStatus;
}

/** A Merkle batch root (`reports:AnchorBatch`). */
export interface BatchRecord {
  city: CityId;
  batchId: string;
  root: string;
  leafCount: number;
  leafScheme: string;
  /** Root of the `rfc9162-sm3/v1` tree over the same documents' SM3 content hashes, when the issuer anchored it. */
  rootSm3?: string;
  /** `rfc9162-sm3/v1` when `rootSm3` is present. */
  leafSchemeSm3?: string;
  firstIssuedAt: string;
  lastIssuedAt: string;
  anchoredAt: string;
  txId: string;
}

/** A credit evaluation result (信用评价). */
export interface EvaluationRecord {
  city: CityId;
  id: string;
  subjectPseudonym: string;
  scheme: string;
  grade: string;
  periodStart: string;
  periodEnd: string;
  validUntil: string;
  evidenceHash: string;
  recordedAt: string;
  txId: string;
}

/** How a list entry left the list. */
export interface ListEntryRemoval {
  reason: RemovalReason;
  /** Salted SHA-256 of the note, which stays in the issuing gateway. */
  noteHash: string;
  evidenceHash?: string;
  at: string;
  txId: string;
}

/** A joint reward/punishment list entry (联合奖惩名单). */
export interface ListEntryRecord {
  city: CityId;
  id: string;
  subjectPseudonym: string;
  listType: ListType;
  /** Salted SHA-256 of the legal basis (认定依据), which stays in the issuing gateway. */
  legalBasisHash: string;
  /** Salted SHA-256 of the measures (canonical JSON array), which stay in the issuing gateway. */
  measuresHash: string;
  startDate: string;
  endDate?: string;
  documentHash?: string;
  state: 'listed' | 'removed';
  removal?: ListEntryRemoval;
  createdAt: string;
  txId: string;
}

/** An objection (异议) registered by a city on a subject's behalf. */
export interface ObjectionRecord {
  /** The registering city. */
  city: CityId;
  objectionId: string;
  entryCity: CityId;
  entryId: string;
  groundsHash: string;
  registeredAt: string;
  txId: string;
}

/** The issuing city's answer to an objection. */
export interface ObjectionAnswerRecord {
  /** The answering city (the entry's issuer). */
  city: CityId;
  objectionCity: CityId;
  objectionId: string;
  entryId: string;
  outcome: ObjectionOutcome;
  /** Salted SHA-256 of the note, which stays in the issuing gateway. */
  noteHash: string;
  answerHash?: string;
  /** True when this answer removed the entry. */
  entryRemoved: boolean;
  answeredAt: string;
  txId: string;
}

/** `listEntries:GetEntry`. */
export interface ListEntryView extends ListEntryRecord {
  objections: (ObjectionRecord & { answer?: ObjectionAnswerRecord })[];
}

/** A credit-service agency filing (信用服务机构备案). */
export interface AgencyRecord {
  uscc: string;
  /** The filing city. */
  city: CityId;
  name: string;
  services: string[];
  status: AgencyStatus;
  /** Salted SHA-256 of the reason of the last status change, which stays in the filing city's gateway. */
  statusReasonHash?: string;
  allianceMember: boolean;
  filedAt: string;
  updatedAt: string;
  /** Transaction that last wrote the record. */
  txId: string;
}

/** A supervision action a city recorded against an agency (协同监管). */
export interface SupervisionRecord {
  uscc: string;
  /** The recording city. */
  city: CityId;
  actionId: string;
  action: SupervisionAction;
  /** Salted SHA-256 of the summary, which stays in the recording city's gateway. */
  summaryHash: string;
  date: string;
  recordedAt: string;
  txId: string;
}

/** `agencies:GetAgency`. */
export interface AgencyView extends AgencyRecord {
  /** Newest recorded first, at most 100. */
  supervision: SupervisionRecord[];
}

/** State of a recognition agreement. */
export type AgreementState = 'proposed' | 'active' | 'ended';

/** A recognition agreement (互认协议) between two cities, as returned by `GetAgreement`. */
export interface AgreementView {
  agreementId: string;
  proposer: CityId;
  counterparty: CityId;
  docTypes: DocumentType[];
  validFrom: string;
  validTo: string;
  state: AgreementState;
  proposedAt: string;
  acceptedAt?: string;
  endedAt?: string;
  endedBy?: CityId;
  /** Salted SHA-256 of the reason for ending; the text is held by the gateway of `endedBy`. */
  endReasonHash?: string;
}

/** One recognition decision, as kept in a recognition record's history. */
export interface RecognitionDecisionRecord {
  decision: RecognitionDecision;
  /** Salted SHA-256 of the reason; the text is held by the recognising city's gateway. */
  reasonHash: string;
  agreementId?: string;
  recordedAt: string;
  txId: string;
}

/** A city's decision on another city's document (互认), with its earlier decisions. */
export interface RecognitionRecord extends RecognitionDecisionRecord {
  /** The recognising city. */
  city: CityId;
  issuerCity: CityId;
  documentId: string;
  /** Earlier decisions, oldest first. */
  history: RecognitionDecisionRecord[];
}

/** `recognition:IsRecognised`. */
export interface RecognitionVerdict {
  recognised: boolean;
  basis: 'agreement' | 'record' | 'none';
  agreementId?: string;
  decision?: RecognitionDecision;
}

/** One page of a paginated query; an empty `bookmark` means no more pages. */
export interface Page<T> {
  records: T[];
  bookmark: string;
  fetched: number;
}
