/**
 * The one ledger client of the project (`@jcc/network/ledger`): the network
 * description (`network.json`) and its schema, {@link connect} to a city's
 * peer with a node:crypto P-256 signer, and the typed ledger errors.
 * Loads no Fabric tooling, so the gateway and the CLI can import it.
 * @packageDocumentation
 */
export * from './networkFile.js';
export * from './signer.js';
export * from './connect.js';
export * from './errors.js';
export { networkFilePath, runtimeDir } from '../paths.js';
