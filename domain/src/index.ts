/**
 * Shared domain code of the Jiaodong Credit Chain (胶东半岛信用链), imported by
 * the chaincode, the gateways, the CLI and the tests.
 * @packageDocumentation
 */
export * from './cities.js';
export * from './canonicalJson.js';
export * from './hash.js';
export * from './uscc.js';
export * from './idNumber.js';
export * from './pseudonym.js';
export * from './errors.js';
export * from './document.js';
export * from './crypto/index.js';
export * from './jws/index.js';
export * from './merkle/index.js';
export * from './ledger/index.js';
export * from './verify/index.js';
export * from './notifications.js';
export * from './access-log/index.js';
