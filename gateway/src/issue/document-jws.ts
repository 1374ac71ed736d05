import { CompactSign, type CryptoKey } from 'jose';
import {
  DOCUMENT_JWS_TYPE,
  canonicalJsonBytes,
  decodeDocumentJws,
  verifyDocumentSignature as verifySignature,
  type CreditDocument,
  type DocumentHeader,
} from '@jcc/domain';

/**
 * Reading a signed document (its form and its signature) is the
 * verification core's (`@jcc/domain`); signing is the gateway's.
 */
export { DocumentFormatError, decodeDocumentJws, documentHash, type DecodedDocument, type DocumentHeader } from '@jcc/domain';

/**
 * Signs a document: the payload is its RFC 8785 canonical JSON, the
 * protected header `{alg: "EdDSA", kid, typ: "jcc-document+jws"}`, the
 * result a compact JWS.
 */
export async function signDocument(document: CreditDocument, key: { kid: string; privateKey: CryptoKey }): Promise<string> {
  const header: DocumentHeader = { alg: 'EdDSA', kid: key.kid, typ: DOCUMENT_JWS_TYPE };
  return new CompactSign(canonicalJsonBytes(document)).setProtectedHeader({ ...header }).sign(key.privateKey);
}

/**
 * True when the JWS is a well-formed document whose header names `alg` and
 * whose signature verifies under the public JWK (see the core's
 * `verifyDocumentSignature`). Never throws.
 */
export async function verifyDocumentSignature(jws: string, alg: string, publicJwk: Record<string, unknown>): Promise<boolean> {
  try {
    if (decodeDocumentJws(jws).header.alg !== alg) return false;
  } catch {
    return false;
  }
  return verifySignature(jws, publicJwk);
}
