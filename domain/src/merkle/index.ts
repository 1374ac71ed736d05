export {
  LEAF_SCHEME,
  LEAF_SCHEME_SM3,
  LEAF_SCHEMES,
  leafHash,
  leafHashSm3,
  nodeHash,
  nodeHashSm3,
  treeHashing,
  type LeafScheme,
  type TreeHashing,
} from './hashing.js';
export { MerkleBatch } from './tree.js';
export { rootFromInclusionPath, verifyInclusion, type InclusionProof } from './proof.js';
export { consistencyProof, verifyConsistency } from './consistency.js';
