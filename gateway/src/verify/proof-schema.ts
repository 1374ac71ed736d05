/** The proof bundle's schema and the gateways' batch naming are the verification core's (`@jcc/domain`). */
export { batchIdFor, proofBundleSchema } from '@jcc/domain';
export type { ProofBundle } from '@jcc/domain';
