/**
 * City gateway of the Jiaodong Credit Chain (胶东半岛信用链): issues, anchors,
 * verifies and recognises credit documents across the five cities.
 * @packageDocumentation
 */
export { startGateway, type RunningGateway, type StartOptions } from './gateway.js';
export * from './config/index.js';
export { ROLES, gatewayName, isRole, type Principal, type Role } from './auth/roles.js';
export { TokenVerifier, mintToken, mintIdentityToken, type MintOptions, type IdentityMintOptions, type TokenKeys } from './auth/tokens.js';
export { authorize } from './auth/policy.js';
export { ForbiddenError, UnauthenticatedError } from './auth/errors.js';
export { mintDevToken, type DevTokenOptions } from './token.js';
export { KeyStore, registerKeys, rotateKey, type SigningKey } from './keys/index.js';
export { DocumentFormatError, decodeDocumentJws, documentHash, signDocument, verifyDocumentSignature } from './issue/document-jws.js';
export { Verifier, type VerifierOptions } from './verify/verifier.js';
export { CHECK_NAMES, type CheckResult, type Verdict } from './verify/verdict.js';
export { batchIdFor, proofBundleSchema, type ProofBundle } from './verify/proof-schema.js';
export * from './fabric/index.js';
export { ensureDevIdentity, ensureHolderKey, readHolderKey, type DevIdentityOptions } from './auth/dev-identities.js';
