/**
 * The five-city Fabric network of the Jiaodong Credit Chain on one machine.
 * @packageDocumentation
 */
export * from './paths.js';
export { networkSettings, type NetworkSettings } from './settings.js';
export * from './topology.js';
export * from './hostsLayout.js';
export * from './netns.js';
export * from './fabricRelease.js';
export { buildFromSource, checkSourceTree, FabricSourceError, FABRIC_MODULE } from './fabricSource.js';
export * from './fabricBin.js';
export * from './networkFile.js';
export * from './processes.js';
export * from './polling.js';
export * from './ledger/networkFile.js';
export * from './ledger/signer.js';
export * from './ledger/connect.js';
export * from './ledger/errors.js';
export * from './ports.js';
export * from './nodeEnv.js';
export * from './status.js';
export * from './up.js';
export * from './down.js';
export { Progress } from './progress.js';
