/**
 * Names of the chaincode events of `creditchain`. Each write transaction
 * emits exactly one of these; its payload is the canonical JSON of the record
 * written, plus `city` (the submitting city) and `txId`.
 */
export const LEDGER_EVENTS = {
  cityKeyRegistered: 'CityKeyRegistered',
  cityKeyRevoked: 'CityKeyRevoked',
  cityKeyRotated: 'CityKeyRotated',
  cityGatewayUrlSet: 'CityGatewayUrlSet',
  identityProposed: 'IdentityProposed',
  identityApproved: 'IdentityApproved',
  identityRevoked: 'IdentityRevoked',
  documentAnchored: 'DocumentAnchored',
  batchAnchored: 'BatchAnchored',
  documentRevoked: 'DocumentRevoked',
  documentSuperseded: 'DocumentSuperseded',
  evaluationRecorded: 'EvaluationRecorded',
  evaluationsRecorded: 'EvaluationsRecorded',
  evaluationChunkRecorded: 'EvaluationChunkRecorded',
  listEntryCreated: 'ListEntryCreated',
  listEntryRemoved: 'ListEntryRemoved',
  objectionRegistered: 'ObjectionRegistered',
  objectionAnswered: 'ObjectionAnswered',
  agencyFiled: 'AgencyFiled',
  agencyStatusChanged: 'AgencyStatusChanged',
  agencyAllianceChanged: 'AgencyAllianceChanged',
  supervisionRecorded: 'SupervisionRecorded',
  agreementProposed: 'AgreementProposed',
  agreementAccepted: 'AgreementAccepted',
  agreementEnded: 'AgreementEnded',
  recognitionRecorded: 'RecognitionRecorded',
  accessLogHeadAnchored: 'AccessLogHeadAnchored',
} as const;

/** One of the chaincode event names. */
export type LedgerEventName = (typeof LEDGER_EVENTS)[keyof typeof LEDGER_EVENTS];
