import { SM2_DEFAULT_ID } from '../crypto/sm2-identifier.js';
import { sm2Sign, sm2Verify } from '../crypto/sm2-signature.js';
import type { Sm2PrivateJwk, Sm2PublicJwk } from '../crypto/sm2-key.js';
import type { JwsSigner } from './general-json.js';

/**
 * The JWS algorithm `SM2SM3` (not registered with IANA; defined here): the
 * signature over the JWS Signing Input (RFC 7515 §5.1, the ASCII bytes of
 * BASE64URL(protected) '.' BASE64URL(payload)) is the SM2 signature of GB/T
 * 32918.2-2016 with SM3 as the hash and Z_A over the signer's distinguishing
 * identifier, encoded as GM/T 0009-2012 DER SEQUENCE { INTEGER r, INTEGER s }
 * (not the fixed-width r ‖ s of the JWS ECDSA algorithms), then base64url.
 * The identifier is {@link SM2_DEFAULT_ID} unless the protected header
 * carries another one as the string member {@link SM2_ID_HEADER}.
 * The same signature verifies with
 * `openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:<id>`.
 */
export const SM2SM3_ALGORITHM = 'SM2SM3';

/** Protected header member naming a distinguishing identifier other than the default. */
export const SM2_ID_HEADER = 'sm2id';

/** The identifier a protected header asks for: its `sm2id` when a string, else the default. */
export function sm2IdOfHeader(header: Record<string, unknown>): string {
  const id = header[SM2_ID_HEADER];
  return typeof id === 'string' ? id : SM2_DEFAULT_ID;
}

/** The SM2SM3 signature (DER) of a JWS Signing Input. */
export function signSm2Sm3(signingInput: Uint8Array, privateJwk: Sm2PrivateJwk, id: string = SM2_DEFAULT_ID): Buffer {
  return sm2Sign(signingInput, privateJwk, { id });
}

/**
 * True when `signature` is the SM2SM3 signature of `signingInput` by the
 * holder of `publicJwk`, under the identifier of `header` (see
 * {@link sm2IdOfHeader}). False for a malformed or wrong signature; throws
 * only when the JWK is not a valid SM2 key, or when `header` has an `sm2id`
 * that is not a string.
 */
export function verifySm2Sm3(
  signingInput: Uint8Array,
  signature: Uint8Array,
  publicJwk: Sm2PublicJwk,
  header: Record<string, unknown> = {},
): boolean {
  if (header[SM2_ID_HEADER] !== undefined && typeof header[SM2_ID_HEADER] !== 'string')
    throw new TypeError(`the protected header member ${SM2_ID_HEADER} must be a string`);
  return sm2Verify(signingInput, signature, publicJwk, { id: sm2IdOfHeader(header) });
}

/**
 * A {@link JwsSigner} for SM2SM3 under `header` (its `alg` is set to
 * SM2SM3; with a non-default `id`, `sm2id` is added to it).
 */
export function sm2Sm3Signer(header: Record<string, unknown>, privateJwk: Sm2PrivateJwk, id: string = SM2_DEFAULT_ID): JwsSigner {
  const full = { ...header, alg: SM2SM3_ALGORITHM, ...(id === SM2_DEFAULT_ID ? {} : { [SM2_ID_HEADER]: id }) };
  return { header: full, sign: (input) => signSm2Sm3(input, privateJwk, id) };
}
