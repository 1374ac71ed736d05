/**
 * Demo data of the Jiaodong Credit Chain, loaded through the city gateways'
 * REST API: {@link loadDemo} and what it returns. `npm start` calls it;
 * `tsx scripts/demo/main.ts` runs it alone against running gateways.
 *
 * @packageDocumentation
 */
export { loadDemo, describeDemo, type DemoResult, type DemoDocument, type LoadDemoOptions } from './load.js';
export { ENTERPRISES, type DemoEnterprise } from './enterprises.js';
export { AGENCIES } from './agencies.js';
export { AGREEMENTS } from './agreements.js';
export { LIST_ENTRIES } from './listEntries.js';
export { RECOGNITIONS } from './recognitions.js';
export { REPORTS } from './reports.js';
export { evaluationId } from './evaluations.js';
export { tamperJws, type Sample, type Samples, type SampleKind } from './samples.js';
export { GatewayClient, GatewayError } from './client.js';
