import { KeyObject, sign as nodeSign } from 'node:crypto';
import type { CryptoKey } from 'jose';
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

/** An Ed25519 document key: its kid and private key (as the key store holds it). */
export interface Ed25519DocumentKey {
  kid: string;
  privateKey: CryptoKey;
}

/** node:crypto's handle of each key, made once per key (converting a CryptoKey costs more than a signature). */
const nodeKeys = new WeakMap<object, KeyObject>();

/** The node:crypto key object of a WebCrypto private key (cached per key). */
export function nodeKeyOf(privateKey: CryptoKey): KeyObject {
  let key = nodeKeys.get(privateKey);
  if (!key) {
    key = KeyObject.from(privateKey as unknown as Parameters<typeof KeyObject.from>[0]);
    nodeKeys.set(privateKey, key);
  }
  return key;
}

/** The encoded protected header of each kid (the same bytes for every document). */
const encodedHeaders = new Map<string, string>();

/**
 * The base64url protected header `{alg: "EdDSA", kid, typ: "jcc-document+jws"}`
 * of a compact document JWS, members in that order (as jose writes it).
 */
export function encodedDocumentHeader(kid: string): string {
  let encoded = encodedHeaders.get(kid);
  if (!encoded) {
    const header: DocumentHeader = { alg: 'EdDSA', kid, typ: DOCUMENT_JWS_TYPE };
    encoded = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
    if (encodedHeaders.size > 64) encodedHeaders.clear();
    encodedHeaders.set(kid, encoded);
  }
  return encoded;
}

/**
 * The JWS signing input (RFC 7515 §5.1) of a document's canonical JSON
 * bytes: `<header>.<payload>`, both base64url.
 */
export function documentSigningInput(payload: Uint8Array, kid: string): string {
  return `${encodedDocumentHeader(kid)}.${Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('base64url')}`;
}

/**
 * Signs the canonical JSON bytes of a document with node:crypto (Ed25519 is
 * deterministic, so the result is byte for byte the compact JWS jose's
 * `CompactSign` gives for the same header and key; a unit test checks it).
 */
export function signDocumentBytes(payload: Uint8Array, key: Ed25519DocumentKey): string {
  const input = documentSigningInput(payload, key.kid);
  return `${input}.${nodeSign(null, Buffer.from(input, 'ascii'), nodeKeyOf(key.privateKey)).toString('base64url')}`;
}

/**
 * Signs a document: the payload is its RFC 8785 canonical JSON, the
 * protected header `{alg: "EdDSA", kid, typ: "jcc-document+jws"}`, the
 * result a compact JWS (see {@link signDocumentBytes}).
 */
export async function signDocument(document: CreditDocument, key: Ed25519DocumentKey): Promise<string> {
  return signDocumentBytes(canonicalJsonBytes(document), key);
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
  ed25519?: Ed25519DocumentKey;
  /** The SM2 document key (suites `ed25519+sm2`, `sm2`). */
  sm2?: Sm2SigningKey;
}

/** Raised when a suite lacks the key it needs. */
export class SuiteKeyError extends Error {
  override readonly name = 'SuiteKeyError';
}

function ed25519Signer(kid: string, privateKey: CryptoKey): JwsSigner {
  const key = nodeKeyOf(privateKey);
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
