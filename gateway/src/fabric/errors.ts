/**
 * The ledger errors of the one ledger client (`@jcc/network/ledger`), under
 * the name the gateway's modules import them by.
 */
export {
  LedgerCommitError,
  LedgerFailureError,
  LedgerRefusedError,
  LedgerUnavailableError,
  fabricErrorText,
  findCodedMessage,
  isEndorserMismatch,
  isRetryable,
  toLedgerError,
  validationCodeName,
} from '@jcc/network/ledger';
export type { LedgerError } from '@jcc/network/ledger';
