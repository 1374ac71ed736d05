/**
 * The deployment kit of the Jiaodong Credit Chain: one city per host, in containers, with
 * identities from each city's own Fabric CA, generated from the single-host topology.
 * @packageDocumentation
 */
export * from './cities.js';
export * from './kitTopology.js';
export * from './relocate.js';
export * from './orgLayout.js';
export * from './containerEnv.js';
export * from './compose.js';
export * from './channel.js';
export * from './caServer.js';
export * from './enrol.js';
export * from './kit.js';
