export { LEAF_SCHEME, leafHash, nodeHash } from './hashing.js';
export { MerkleBatch } from './tree.js';
export { rootFromInclusionPath, verifyInclusion, type InclusionProof } from './proof.js';
