export { DEFAULT_DEADLINES, connectToPeer } from './connection.js';
export type { CallDeadlines, FabricConnection } from './connection.js';
export {
  LedgerCommitError,
  LedgerFailureError,
  LedgerRefusedError,
  LedgerUnavailableError,
  findCodedMessage,
  isRetryable,
  toLedgerError,
  validationCodeName,
} from './errors.js';
export type { LedgerError } from './errors.js';
export { CONTRACTS, FabricLedger, checkLedgerInput, parseResult } from './ledger.js';
export type { Committed, ContractName, Ledger, LedgerObserver, TransactionName } from './ledger.js';
export type * from './records.js';
export { isNotFound, submitCatchingUp } from './catch-up.js';
export type { CatchUpOptions } from './catch-up.js';
