export { SM3_DIGEST_LENGTH, Sm3UnavailableError, createSm3, isSm3Hex, sm3, sm3Hex } from './sm3.js';
export { SM2_COORDINATE_LENGTH, SM2_CURVE, SM2_CURVE_OID } from './sm2-curve.js';
export { SM2_DEFAULT_ID, SM2_MAX_ID_LENGTH, Sm2IdentifierError, sm2IdentifierBytes } from './sm2-identifier.js';
export {
  SM2_JWK_CURVE,
  Sm2KeyError,
  generateSm2PrivateJwk,
  isSm2Jwk,
  isValidSm2PublicJwk,
  sm2PrivateJwkFromScalar,
  sm2PublicJwk,
  type Sm2PrivateJwk,
  type Sm2PublicJwk,
} from './sm2-key.js';
export { SM2_SPKI_PREFIX, sm2JwkFromSpki, sm2JwkToPem, sm2JwkToSpki } from './sm2-spki.js';
export {
  Sm2SignatureFormatError,
  sm2Sign,
  sm2SignatureFromDer,
  sm2SignatureToDer,
  sm2Verify,
  type Sm2Options,
  type Sm2Signature,
} from './sm2-signature.js';
