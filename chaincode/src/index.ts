/**
 * `creditchain`: the chaincode of the Jiaodong Credit Chain (胶东半岛信用链).
 * fabric-contract-api loads `contracts` from this module (package.json
 * `main`); the chaincode runs as a service beside each peer
 * (`fabric-chaincode-node server`).
 * @packageDocumentation
 */
import { AccessLogContract } from './contracts/accessLog.js';
import { AgenciesContract } from './contracts/agencies.js';
import { CitiesContract } from './contracts/cities.js';
import { EvaluationsContract } from './contracts/evaluations.js';
import { IdentitiesContract } from './contracts/identities.js';
import { ListEntriesContract } from './contracts/listEntries.js';
import { RecognitionContract } from './contracts/recognition.js';
import { ReportsContract } from './contracts/reports.js';

export {
  AccessLogContract,
  AgenciesContract,
  CitiesContract,
  EvaluationsContract,
  IdentitiesContract,
  ListEntriesContract,
  RecognitionContract,
  ReportsContract,
};

/** The eight contracts, in the order of the ledger API. The first, `cities`, is the default contract. */
export const contracts = [
  CitiesContract,
  ReportsContract,
  EvaluationsContract,
  ListEntriesContract,
  AgenciesContract,
  RecognitionContract,
  IdentitiesContract,
  AccessLogContract,
];
