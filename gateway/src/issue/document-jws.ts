import { KeyObject, sign as nodeSign } from 'node:crypto';
import { CompactSign, type CryptoKey } from 'jose';
import {
  DOCUMENT_JWS_TYPE,
  canonicalJsonBytes,
  signGeneralJws,
  sm2Sm3Signer,
  verifyDocumentSignature as verifySignature,
  type CreditDocument,
  type DocumentHeader,
  type JwsSigner,
} from '@jcc/domain';
import type { SignatureSuite } from '../config/config.js';
import type { Sm2SigningKey } from '../keys/keystore.js';

/**
 * Reading a signed document in either form (compact or JSON serialization)
 * and checking its signatures is the verification core's (`@jcc/domain`:
 * `decodeDocumentJws`, `verifySignatureWith`); signing is the gateway's.
 */
export {
  DocumentFormatError,
  decodeDocumentJws,
  documentHash,
  documentHashSm3,
  type DecodedDocument,
  type DocumentHeader,
} from '@jcc/domain';

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
  return verifySignature(jws, publicJwk, alg);
}

// ---------------------------------------------------------------- JSON serialization (SM2SM3, dual signatures)

/** The keys a suite signs with. */
export interface SuiteKeys {
  /** The Ed25519 document key (suites `ed25519`, `ed25519+sm2`). */
  ed25519?: { kid: string; privateKey: CryptoKey };
  /** The SM2 document key (suites `ed25519+sm2`, `sm2`). */
  sm2?: Sm2SigningKey;
}

/** Raised when a suite lacks the key it needs. */
export class SuiteKeyError extends Error {
  override readonly name = 'SuiteKeyError';
}

function ed25519Signer(kid: string, privateKey: CryptoKey): JwsSigner {
  const key = KeyObject.from(privateKey as unknown as Parameters<typeof KeyObject.from>[0]);
  return { header: { alg: 'EdDSA', kid, typ: DOCUMENT_JWS_TYPE }, sign: (input) => nodeSign(null, input, key) };
}

/**
 * Signs a document as its city's suite says: `ed25519` gives the compact
 * JWS of {@link signDocument}; `ed25519+sm2` a JWS in the JSON serialization
 * (RFC 7515 §7.2.1, written as RFC 8785 canonical JSON) with an EdDSA then
 * an SM2SM3 signature; `sm2` the JSON serialization with the SM2SM3 signature only.
 *
 * @throws SuiteKeyError when a key the suite needs is missing.
 */
export async function signDocumentWithSuite(document: CreditDocument, suite: SignatureSuite, keys: SuiteKeys): Promise<string> {
  const needEd = suite !== 'sm2';
  const needSm2 = suite !== 'ed25519';
  if (needEd && !keys.ed25519) throw new SuiteKeyError(`suite ${suite} needs an Ed25519 document key`);
  if (needSm2 && !keys.sm2) throw new SuiteKeyError(`suite ${suite} needs an SM2 document key`);
  if (suite === 'ed25519') return signDocument(document, keys.ed25519!);
  const signers: JwsSigner[] = [];
  if (needEd) signers.push(ed25519Signer(keys.ed25519!.kid, keys.ed25519!.privateKey));
  signers.push(sm2Sm3Signer({ kid: keys.sm2!.kid, typ: DOCUMENT_JWS_TYPE }, keys.sm2!.privateJwk));
  return signGeneralJws(canonicalJsonBytes(document), signers);
}
