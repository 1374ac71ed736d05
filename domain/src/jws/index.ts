export {
  JwsFormatError,
  MAX_JWS_SIGNATURES,
  decodeGeneralJws,
  isJwsJsonSerialization,
  jwsSigningInput,
  signGeneralJws,
  type DecodedGeneralJws,
  type DecodedJwsSignature,
  type GeneralJws,
  type GeneralJwsSignature,
  type JwsSigner,
} from './general-json.js';
export { SM2SM3_ALGORITHM, SM2_ID_HEADER, signSm2Sm3, sm2IdOfHeader, sm2Sm3Signer, verifySm2Sm3 } from './sm2sm3.js';
