import * as z from 'zod';
import { LEAF_SCHEME, LEAF_SCHEME_SM3 } from '../merkle/hashing.js';
import {
  AGENCY_STATUSES,
  IDENTITY_ROLES,
  KEY_REVOCATION_REASONS,
  KEY_USES,
  LIST_TYPES,
  OBJECTION_OUTCOMES,
  RECOGNITION_DECISIONS,
  REMOVAL_REASONS,
  SUPERVISION_ACTIONS,
} from './enums.js';
import {
  cityIdField,
  dateField,
  documentTypeField,
  documentTypeListField,
  enumField,
  expected,
  freeTextField,
  gatewayUrlField,
  paginationFields,
  pseudonymField,
  publicJwkField,
  recordIdField,
  sha256HexField,
  textListField,
  timestampField,
  usccField,
} from './fields.js';
import { getEvaluationChunkInput, recordEvaluationChunkInput } from './evaluationChunk.js';
import { isTimestamp, normalizeTimestamp } from './time.js';
import { anchorTreeHeadInput, getTreeHeadInput } from './access-log.js';

/**
 * The input schema of every `creditchain` transaction (zod 4). The chaincode
 * parses each transaction's single JSON argument with these, and the gateway
 * validates what it sends with the very same schemas. All objects are strict:
 * an unknown member is refused.
 */

/** Most records in one `RecordEvaluations` transaction. */
export const MAX_BULK_EVALUATIONS = 500;
/** Most leaves in one Merkle batch. */
export const MAX_BATCH_LEAVES = 10_000_000;

const booleanField = z.boolean({ error: expected('true or false') });

/** An SM3 digest (GB/T 32905): 64 lower-case hex characters. */
const sm3HexField = z.string({ error: expected('a string') }).regex(/^[0-9a-f]{64}$/, {
  error: 'must be an SM3 digest written as 64 lower-case hex characters',
});

/** Compares two timestamps when both are well-formed (so a field error is not reported twice). */
function timestampOrder(earlier: unknown, later: unknown): number | undefined {
  if (!isTimestamp(earlier) || !isTimestamp(later)) return undefined;
  const a = normalizeTimestamp(earlier);
  const b = normalizeTimestamp(later);
  return a < b ? -1 : a === b ? 0 : 1;
}

/** Compares two calendar dates when both are strings (their format is checked by the field). */
function dateOrder(earlier: unknown, later: unknown): number | undefined {
  if (typeof earlier !== 'string' || typeof later !== 'string') return undefined;
  return earlier < later ? -1 : earlier === later ? 0 : 1;
}

type Order = (a: unknown, b: unknown) => number | undefined;

/**
 * A check that `record[later]` comes after `record[earlier]` (strictly, or
 * not before when `allowEqual`), reported on the `later` field.
 */
function inOrder<K extends string>(order: Order, earlier: K, later: K, allowEqual: boolean) {
  return (record: Partial<Record<K, unknown>>, ctx: z.RefinementCtx) => {
    const cmp = order(record[earlier], record[later]);
    if (cmp === undefined) return;
    if (cmp > 0 || (cmp === 0 && !allowEqual)) {
      ctx.addIssue({
        code: 'custom',
        path: [later],
        message: allowEqual ? `must not be earlier than ${earlier}` : `must be later than ${earlier}`,
        input: record[later],
      });
    }
  };
}

/**
 * The check that an evaluation stays valid at least until its period ends
 * (`validUntil`'s UTC day not before `periodEnd`), reported on `validUntil`.
 * Shared by the ledger schema and the gateway's request body.
 */
export function validUntilCoversPeriod(record: { validUntil?: unknown; periodEnd?: unknown }, ctx: z.RefinementCtx): void {
  if (typeof record.periodEnd !== 'string' || !isTimestamp(record.validUntil)) return;
  if (normalizeTimestamp(record.validUntil).slice(0, 10) < record.periodEnd)
    ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'must not be earlier than periodEnd', input: record.validUntil });
}

// ---------------------------------------------------------------- cities

/** `cities:RegisterKey`. */
export const registerKeyInput = z
  .strictObject({
    use: enumField(KEY_USES),
    jwk: publicJwkField,
    validFrom: timestampField,
    validTo: timestampField.optional(),
  })
  .superRefine(inOrder(timestampOrder, 'validFrom', 'validTo', false));

/** `cities:RevokeKey`. `reason` is a code, never free text (default `unspecified`). */
export const revokeKeyInput = z.strictObject({
  kid: recordIdField,
  revokedAt: timestampField.optional(),
  reason: enumField(KEY_REVOCATION_REASONS).optional(),
});

/**
 * `cities:RotateKey`: registers a new key of the submitting city and closes
 * `previousKid` (of the same use) for signing from the new key's `validFrom`.
 */
export const rotateKeyInput = z
  .strictObject({
    use: enumField(KEY_USES),
    jwk: publicJwkField,
    validFrom: timestampField,
    validTo: timestampField.optional(),
    previousKid: recordIdField,
  })
  .superRefine(inOrder(timestampOrder, 'validFrom', 'validTo', false));

/** `cities:SetGatewayUrl`. */
export const setGatewayUrlInput = z.strictObject({ url: gatewayUrlField });

/** `cities:GetCity`. */
export const getCityInput = z.strictObject({ city: cityIdField });

/** `cities:ListCities`. */
export const listCitiesInput = z.strictObject({});

/** `cities:GetKey`. */
export const getKeyInput = z.strictObject({ city: cityIdField, kid: recordIdField });

/** `cities:GetKeySet`. */
export const getKeySetInput = z.strictObject({ city: cityIdField });

/** A Fabric transaction id: the lower-case hex SHA-256 of the proposal's nonce and creator. */
export const FABRIC_TX_ID = /^[0-9a-f]{64}$/;

/** The most events one `cities:GetEventSeals` asks about. */
export const MAX_EVENT_SEALS = 200;

/**
 * `cities:GetEventSeals`: the seals of `city` on the events of transactions
 * `txId` (Fabric transaction ids, 64 hex digits), up to {@link MAX_EVENT_SEALS}.
 */
export const getEventSealsInput = z.strictObject({
  events: z
    .array(
      z.strictObject({
        city: cityIdField,
        txId: z.string().regex(FABRIC_TX_ID, 'a Fabric transaction id: 64 lower-case hex digits'),
      }),
    )
    .min(1)
    .max(MAX_EVENT_SEALS),
});

// ---------------------------------------------------------------- identities

/** `identities:ProposeIdentity`: a regulator or alliance member, with its public key and validity window. */
export const proposeIdentityInput = z
  .strictObject({
    id: recordIdField,
    role: enumField(IDENTITY_ROLES),
    jwk: publicJwkField,
    validFrom: timestampField,
    validTo: timestampField,
  })
  .superRefine(inOrder(timestampOrder, 'validFrom', 'validTo', false));

/** `identities:ApproveIdentity`. */
export const approveIdentityInput = z.strictObject({ id: recordIdField });

/** `identities:RevokeIdentity`. */
export const revokeIdentityInput = z.strictObject({ id: recordIdField, reason: enumField(KEY_REVOCATION_REASONS).optional() });

/** `identities:GetIdentity`. */
export const getIdentityInput = z.strictObject({ id: recordIdField });

/** `identities:ListIdentities`. */
export const listIdentitiesInput = z.strictObject({});

// ---------------------------------------------------------------- reports

/** `reports:AnchorDocument`. */
export const anchorDocumentInput = z
  .strictObject({
    id: recordIdField,
    docType: documentTypeField,
    subjectPseudonym: pseudonymField,
    contentHash: sha256HexField,
    /** SM3 of the same bytes as `contentHash`, for verifiers that use national algorithms only. Optional. */
    contentHashSm3: sm3HexField.optional(),
    issuedAt: timestampField,
    validUntil: timestampField,
    kid: recordIdField,
  })
  .superRefine(inOrder(timestampOrder, 'issuedAt', 'validUntil', false));

/** `reports:AnchorBatch`. */
export const anchorBatchInput = z
  .strictObject({
    batchId: recordIdField,
    root: sha256HexField,
    leafCount: z
      .number({ error: expected('a number') })
      .int({ error: 'must be an integer' })
      .min(1, { error: `must be between 1 and ${MAX_BATCH_LEAVES}` })
      .max(MAX_BATCH_LEAVES, { error: `must be between 1 and ${MAX_BATCH_LEAVES}` }),
    leafScheme: z.literal(LEAF_SCHEME, { error: expected(LEAF_SCHEME) }),
    /**
     * Optional second root over the same leaves in the same order: the
     * `rfc9162-sm3/v1` tree of the documents' SM3 content hashes. Given
     * together with `leafSchemeSm3`.
     */
    rootSm3: sm3HexField.optional(),
    leafSchemeSm3: z.literal(LEAF_SCHEME_SM3, { error: expected(LEAF_SCHEME_SM3) }).optional(),
    firstIssuedAt: timestampField,
    lastIssuedAt: timestampField,
  })
  .superRefine(inOrder(timestampOrder, 'firstIssuedAt', 'lastIssuedAt', true))
  .superRefine((input, ctx) => {
    if (input.rootSm3 !== undefined && input.leafSchemeSm3 === undefined)
      ctx.addIssue({ code: 'custom', path: ['leafSchemeSm3'], message: `is required with rootSm3 (${LEAF_SCHEME_SM3})`, input: undefined });
    if (input.rootSm3 === undefined && input.leafSchemeSm3 !== undefined)
      ctx.addIssue({ code: 'custom', path: ['rootSm3'], message: 'is required with leafSchemeSm3', input: undefined });
  });

/**
 * `reports:RevokeDocument`. The reason is free text: it stays in the issuing
 * gateway, and the ledger holds only its salted SHA-256 (docs/formats.md).
 */
export const revokeDocumentInput = z.strictObject({ id: recordIdField, reasonHash: sha256HexField, batchId: recordIdField.optional() });

/** `reports:SupersedeDocument` (the reason stays in the issuing gateway; the ledger holds its salted hash). */
export const supersedeDocumentInput = z
  .strictObject({
    id: recordIdField,
    replacementId: recordIdField,
    reasonHash: sha256HexField,
    batchId: recordIdField.optional(),
    /** The batch the replacement was anchored in, when it was not anchored alone. */
    replacementBatchId: recordIdField.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.replacementId === input.id) {
      ctx.addIssue({ code: 'custom', path: ['replacementId'], message: 'must differ from id', input: input.replacementId });
    }
  });

/** `reports:GetDocument`. */
export const getDocumentInput = z.strictObject({ city: cityIdField, id: recordIdField });

/** `reports:GetBatch`. */
export const getBatchInput = z.strictObject({ city: cityIdField, batchId: recordIdField });

/** `reports:ListDocumentsBySubject`. */
export const listDocumentsBySubjectInput = z.strictObject({ subjectPseudonym: pseudonymField, ...paginationFields });

// ---------------------------------------------------------------- evaluations

/** `evaluations:RecordEvaluation`, and each item of `RecordEvaluations`. */
export const recordEvaluationInput = z
  .strictObject({
    id: recordIdField,
    subjectPseudonym: pseudonymField,
    scheme: z.string({ error: expected('a string') }).regex(/^[A-Za-z0-9._-]{1,64}$/, {
      error: 'must be 1-64 characters of A-Z a-z 0-9 . _ -',
    }),
    grade: z.string({ error: expected('a string') }).regex(/^[A-Z][A-Za-z0-9+-]{0,7}$/, {
      error: 'must be 1-8 characters, starting with an upper-case letter, then letters, digits, + or -',
    }),
    periodStart: dateField,
    periodEnd: dateField,
    validUntil: timestampField,
    evidenceHash: sha256HexField,
  })
  .superRefine(inOrder(dateOrder, 'periodStart', 'periodEnd', true))
  .superRefine(validUntilCoversPeriod);

/** `evaluations:RecordEvaluations`: 1-500 evaluations with distinct ids. */
export const recordEvaluationsInput = z
  .strictObject({
    records: z
      .array(recordEvaluationInput, { error: expected('an array of evaluations') })
      .min(1, { error: 'must have at least one item' })
      .max(MAX_BULK_EVALUATIONS, { error: `must have at most ${MAX_BULK_EVALUATIONS} items` }),
  })
  .superRefine((input, ctx) => {
    const seen = new Map<string, number>();
    input.records.forEach((record, index) => {
      const first = seen.get(record.id);
      if (first === undefined) seen.set(record.id, index);
      else
        ctx.addIssue({ code: 'custom', path: ['records', index, 'id'], message: `repeats the id of records[${first}]`, input: record.id });
    });
  });

/** `evaluations:GetEvaluation`. */
export const getEvaluationInput = z.strictObject({ city: cityIdField, id: recordIdField });

/** `evaluations:QueryEvaluationsBySubject`. */
export const queryEvaluationsBySubjectInput = z.strictObject({ subjectPseudonym: pseudonymField, ...paginationFields });

// ---------------------------------------------------------------- listEntries

/**
 * `listEntries:CreateEntry`. The legal basis and the measures are free text,
 * which may carry personal data: they stay in the issuing gateway, and the
 * ledger holds only their salted SHA-256 (see the gateway's REST.md).
 */
export const createEntryInput = z
  .strictObject({
    id: recordIdField,
    subjectPseudonym: pseudonymField,
    listType: enumField(LIST_TYPES),
    legalBasisHash: sha256HexField,
    measuresHash: sha256HexField,
    startDate: dateField,
    endDate: dateField.optional(),
    documentHash: sha256HexField.optional(),
  })
  .superRefine(inOrder(dateOrder, 'startDate', 'endDate', false));

/** `listEntries:RemoveEntry` (the note stays in the issuing gateway; the ledger holds its salted hash). */
export const removeEntryInput = z.strictObject({
  id: recordIdField,
  reason: enumField(REMOVAL_REASONS),
  noteHash: sha256HexField,
  evidenceHash: sha256HexField.optional(),
});

/** `listEntries:RegisterObjection`. */
export const registerObjectionInput = z.strictObject({
  entryCity: cityIdField,
  entryId: recordIdField,
  objectionId: recordIdField,
  groundsHash: sha256HexField,
});

/** `listEntries:AnswerObjection` (the note stays in the issuing gateway; the ledger holds its salted hash). */
export const answerObjectionInput = z.strictObject({
  objectionCity: cityIdField,
  objectionId: recordIdField,
  outcome: enumField(OBJECTION_OUTCOMES),
  noteHash: sha256HexField,
  answerHash: sha256HexField.optional(),
});

/** `listEntries:GetEntry`. */
export const getEntryInput = z.strictObject({ city: cityIdField, id: recordIdField });

/** `listEntries:QueryEntriesBySubject`. */
export const queryEntriesBySubjectInput = z.strictObject({ subjectPseudonym: pseudonymField, ...paginationFields });

// ---------------------------------------------------------------- agencies

/** `agencies:FileAgency`. */
export const fileAgencyInput = z.strictObject({
  uscc: usccField,
  name: freeTextField,
  services: textListField,
  allianceMember: booleanField.optional(),
});

/** `agencies:SetAgencyStatus` (the reason stays in the filing city's gateway; the ledger holds its salted hash). */
export const setAgencyStatusInput = z.strictObject({ uscc: usccField, status: enumField(AGENCY_STATUSES), reasonHash: sha256HexField });

/** `agencies:SetAllianceMembership`. */
export const setAllianceMembershipInput = z.strictObject({ uscc: usccField, member: booleanField });

/** `agencies:RecordSupervision` (the summary stays in the recording city's gateway; the ledger holds its salted hash). */
export const recordSupervisionInput = z.strictObject({
  uscc: usccField,
  actionId: recordIdField,
  action: enumField(SUPERVISION_ACTIONS),
  summaryHash: sha256HexField,
  date: dateField,
});

/** `agencies:GetAgency`. */
export const getAgencyInput = z.strictObject({ uscc: usccField });

/** `agencies:ListAgencies`. */
export const listAgenciesInput = z.strictObject({
  city: cityIdField.optional(),
  status: enumField(AGENCY_STATUSES).optional(),
  ...paginationFields,
});

// ---------------------------------------------------------------- recognition

/** `recognition:ProposeAgreement`. */
export const proposeAgreementInput = z
  .strictObject({
    agreementId: recordIdField,
    counterparty: cityIdField,
    docTypes: documentTypeListField,
    validFrom: timestampField,
    validTo: timestampField,
  })
  .superRefine(inOrder(timestampOrder, 'validFrom', 'validTo', false));

/** `recognition:AcceptAgreement`. */
export const acceptAgreementInput = z.strictObject({ agreementId: recordIdField });

/**
 * `recognition:EndAgreement`. The reason is free text: it stays in the ending city's gateway and the
 * ledger gets its salted SHA-256 (`reasonHash`), like the free text of list entries.
 */
export const endAgreementInput = z.strictObject({ agreementId: recordIdField, reasonHash: sha256HexField });

/** `recognition:GetAgreement`. */
export const getAgreementInput = z.strictObject({ agreementId: recordIdField });

/** `recognition:ListAgreements`. */
export const listAgreementsInput = z.strictObject({ city: cityIdField, ...paginationFields });

/**
 * `recognition:RecordRecognition`. The reason is free text: it stays in the recognising city's gateway
 * and the ledger gets its salted SHA-256 (`reasonHash`), like the free text of list entries.
 */
export const recordRecognitionInput = z.strictObject({
  issuerCity: cityIdField,
  documentId: recordIdField,
  decision: enumField(RECOGNITION_DECISIONS),
  reasonHash: sha256HexField,
  agreementId: recordIdField.optional(),
  /** The batch the document was anchored in, when it was not anchored alone (the ledger holds only the batch's root). */
  batchId: recordIdField.optional(),
});

/** `recognition:GetRecognitions`. */
export const getRecognitionsInput = z.strictObject({ issuerCity: cityIdField, documentId: recordIdField });

/** `recognition:IsRecognised`. */
export const isRecognisedInput = z
  .strictObject({
    issuerCity: cityIdField,
    documentId: recordIdField,
    docType: documentTypeField,
    recognisingCity: cityIdField,
    at: timestampField,
  })
  .superRefine((input, ctx) => {
    if (input.recognisingCity === input.issuerCity) {
      ctx.addIssue({ code: 'custom', path: ['recognisingCity'], message: 'must differ from issuerCity', input: input.recognisingCity });
    }
  });

// ---------------------------------------------------------------- registry

/**
 * Every transaction's input schema, by contract name and transaction name,
 * exactly as the chaincode exposes them (`contract:Transaction`).
 */
export const LEDGER_INPUTS = {
  cities: {
    RegisterKey: registerKeyInput,
    RevokeKey: revokeKeyInput,
    RotateKey: rotateKeyInput,
    SetGatewayUrl: setGatewayUrlInput,
    GetCity: getCityInput,
    ListCities: listCitiesInput,
    GetKey: getKeyInput,
    GetKeySet: getKeySetInput,
    GetEventSeals: getEventSealsInput,
  },
  identities: {
    ProposeIdentity: proposeIdentityInput,
    ApproveIdentity: approveIdentityInput,
    RevokeIdentity: revokeIdentityInput,
    GetIdentity: getIdentityInput,
    ListIdentities: listIdentitiesInput,
  },
  reports: {
    AnchorDocument: anchorDocumentInput,
    AnchorBatch: anchorBatchInput,
    RevokeDocument: revokeDocumentInput,
    SupersedeDocument: supersedeDocumentInput,
    GetDocument: getDocumentInput,
    GetBatch: getBatchInput,
    ListDocumentsBySubject: listDocumentsBySubjectInput,
  },
  evaluations: {
    RecordEvaluation: recordEvaluationInput,
    RecordEvaluations: recordEvaluationsInput,
    GetEvaluation: getEvaluationInput,
    QueryEvaluationsBySubject: queryEvaluationsBySubjectInput,
    RecordEvaluationChunk: recordEvaluationChunkInput,
    GetEvaluationChunk: getEvaluationChunkInput,
  },
  listEntries: {
    CreateEntry: createEntryInput,
    RemoveEntry: removeEntryInput,
    RegisterObjection: registerObjectionInput,
    AnswerObjection: answerObjectionInput,
    GetEntry: getEntryInput,
    QueryEntriesBySubject: queryEntriesBySubjectInput,
  },
  agencies: {
    FileAgency: fileAgencyInput,
    SetAgencyStatus: setAgencyStatusInput,
    SetAllianceMembership: setAllianceMembershipInput,
    RecordSupervision: recordSupervisionInput,
    GetAgency: getAgencyInput,
    ListAgencies: listAgenciesInput,
  },
  recognition: {
    ProposeAgreement: proposeAgreementInput,
    AcceptAgreement: acceptAgreementInput,
    EndAgreement: endAgreementInput,
    GetAgreement: getAgreementInput,
    ListAgreements: listAgreementsInput,
    RecordRecognition: recordRecognitionInput,
    GetRecognitions: getRecognitionsInput,
    IsRecognised: isRecognisedInput,
  },
  accessLog: {
    AnchorTreeHead: anchorTreeHeadInput,
    GetTreeHead: getTreeHeadInput,
  },
} as const;

/** Contract names of the chaincode. */
export type LedgerContractName = keyof typeof LEDGER_INPUTS;

/** The parsed (output) input type of transaction `T` of contract `C`. */
export type LedgerInput<
  C extends LedgerContractName,
  T extends keyof (typeof LEDGER_INPUTS)[C],
> = (typeof LEDGER_INPUTS)[C][T] extends z.ZodType ? z.output<(typeof LEDGER_INPUTS)[C][T]> : never;

/** The parsed input of `RegisterKey`. */
export type RegisterKeyInput = z.output<typeof registerKeyInput>;
/** The parsed input of `RevokeKey`. */
export type RevokeKeyInput = z.output<typeof revokeKeyInput>;
/** The parsed input of `RotateKey`. */
export type RotateKeyInput = z.output<typeof rotateKeyInput>;
/** The parsed input of `ProposeIdentity`. */
export type ProposeIdentityInput = z.output<typeof proposeIdentityInput>;
/** The parsed input of `AnchorDocument`. */
export type AnchorDocumentInput = z.output<typeof anchorDocumentInput>;
/** The parsed input of `AnchorBatch`. */
export type AnchorBatchInput = z.output<typeof anchorBatchInput>;
/** The parsed input of `RecordEvaluation`. */
export type RecordEvaluationInput = z.output<typeof recordEvaluationInput>;
/** The parsed input of `CreateEntry`. */
export type CreateEntryInput = z.output<typeof createEntryInput>;
/** The parsed input of `FileAgency`. */
export type FileAgencyInput = z.output<typeof fileAgencyInput>;
/** The parsed input of `RecordSupervision`. */
export type RecordSupervisionInput = z.output<typeof recordSupervisionInput>;
/** The parsed input of `ProposeAgreement`. */
export type ProposeAgreementInput = z.output<typeof proposeAgreementInput>;
/** The parsed input of `RecordRecognition`. */
export type RecordRecognitionInput = z.output<typeof recordRecognitionInput>;
