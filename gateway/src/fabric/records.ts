/**
 * The ledger records the gateway reads are the domain's record types
 * (`@jcc/domain`, written by the chaincode); this module names the ones the
 * gateway uses and the block number the gateway's index adds to them.
 */
export type {
  AgencyView,
  AgreementView,
  BatchRecord,
  CityView,
  DocumentAnchorRecord,
  DocumentStatusRecord,
  DocumentView,
  EvaluationRecord,
  KeyRecord,
  ListEntryRecord,
  ListEntryView,
  Page,
  RecognitionRecord,
  RecognitionVerdict,
} from '@jcc/domain';

/** A record as the gateway's index keeps it: with the block its transaction landed in. */
export type Located<T> = T & { blockNumber: number };
