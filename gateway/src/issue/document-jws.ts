import { KeyObject, createPublicKey, sign as nodeSign, verify as nodeVerify, type JsonWebKey } from 'node:crypto';
import { CompactSign, type CryptoKey } from 'jose';
import {
  DOCUMENT_JWS_TYPE,
  DocumentFormatError,
  JwsFormatError,
  SM2SM3_ALGORITHM,
  SM2_ID_HEADER,
  canonicalJson,
  canonicalJsonBytes,
  decodeDocumentJws,
  decodeGeneralJws,
  isJwsJsonSerialization,
  parseCreditDocument,
  signGeneralJws,
  sm2Sm3Signer,
  sm3Hex,
  verifyDocumentSignature as verifySignature,
  verifySm2Sm3,
  type CreditDocument,
  type DecodedJwsSignature,
  type DocumentHeader,
  type JwsSigner,
  type Sm2PublicJwk,
} from '@jcc/domain';
import type { SignatureSuite } from '../config/config.js';
import type { Sm2SigningKey } from '../keys/keystore.js';

/** JWS algorithms of the compact form (see the core's signature registry). */
const DOCUMENT_ALGORITHMS = ['EdDSA', 'ES256'] as const;
const ALLOWED_HEADER_MEMBERS = ['alg', 'kid', 'typ'] as const;
const decoder = new TextDecoder('utf-8', { fatal: true });

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

// ---------------------------------------------------------------- JSON serialization (SM2SM3, dual signatures)

/** Algorithms a signature of a document in the JWS JSON serialization may use. */
export const DOCUMENT_JSON_ALGORITHMS = [...DOCUMENT_ALGORITHMS, SM2SM3_ALGORITHM] as const;

/** The protected header of one signature of a document in the JSON serialization. */
export interface DocumentSignatureHeader {
  alg: (typeof DOCUMENT_JSON_ALGORITHMS)[number];
  kid: string;
  typ: typeof DOCUMENT_JWS_TYPE;
  /** SM2SM3 only: a distinguishing identifier other than the default 1234567812345678. */
  sm2id?: string;
}

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

/**
 * The SM3 content hash anchored beside the SHA-256 one: SM3 of the same
 * bytes as {@link documentHash} (the signed document's text), 64 hex
 * characters. Anchored for documents in the JSON serialization (those an
 * SM2-configured city issues).
 */
export function documentHashSm3(jws: string): string {
  return sm3Hex(jws);
}

/** One signature of a document in the JSON serialization, taken apart (not verified). */
export interface DecodedDocumentSignature extends DecodedJwsSignature {
  header: DocumentSignatureHeader & Record<string, unknown>;
}

/** A document in the JSON serialization taken apart without checking any signature. */
export interface DecodedJsonDocument {
  document: CreditDocument;
  signatures: DecodedDocumentSignature[];
}

/**
 * Takes a document in the JWS JSON serialization apart and checks its form:
 * a canonical general JWS (see `decodeGeneralJws`), each protected header of
 * exactly `alg` (EdDSA, ES256 or SM2SM3), `kid`, `typ` (`jcc-document+jws`)
 * and, for SM2SM3 only, an optional string `sm2id`; no two signatures with
 * the same kid; a payload that is a credit document in RFC 8785 canonical
 * form. No signature is checked here.
 *
 * @throws DocumentFormatError naming the rule that failed.
 */
export function decodeDocumentJwsJson(text: string): DecodedJsonDocument {
  if (typeof text !== 'string' || !isJwsJsonSerialization(text)) throw new DocumentFormatError('not a JWS in the JSON serialization');
  let decoded;
  try {
    decoded = decodeGeneralJws(text);
  } catch (err) {
    if (err instanceof JwsFormatError) throw new DocumentFormatError(err.message);
    throw err;
  }
  const kids = new Set<string>();
  const signatures = decoded.signatures.map((entry, i) => {
    const where = `signatures[${i}]`;
    const header = entry.header;
    const allowed = header.alg === SM2SM3_ALGORITHM ? [...ALLOWED_HEADER_MEMBERS, SM2_ID_HEADER] : [...ALLOWED_HEADER_MEMBERS];
    for (const name of Object.keys(header))
      if (!allowed.includes(name)) throw new DocumentFormatError(`${where}: the protected header has a member "${name}"`);
    if (!DOCUMENT_JSON_ALGORITHMS.includes(header.alg as DocumentSignatureHeader['alg']))
      throw new DocumentFormatError(`${where}: alg "${String(header.alg)}" is not allowed; use EdDSA, ES256 or SM2SM3`);
    if (typeof header.kid !== 'string' || header.kid === '') throw new DocumentFormatError(`${where}: the protected header has no kid`);
    if (kids.has(header.kid)) throw new DocumentFormatError(`${where}: kid ${header.kid} signs twice`);
    kids.add(header.kid);
    if (header.typ !== DOCUMENT_JWS_TYPE) throw new DocumentFormatError(`${where}: typ must be "${DOCUMENT_JWS_TYPE}"`);
    if (header.sm2id !== undefined && typeof header.sm2id !== 'string') throw new DocumentFormatError(`${where}: sm2id must be a string`);
    return entry as DecodedDocumentSignature;
  });
  let payloadText: string;
  let payload: unknown;
  try {
    payloadText = decoder.decode(decoded.payload);
    payload = JSON.parse(payloadText);
  } catch {
    throw new DocumentFormatError('the payload is not UTF-8 JSON');
  }
  const parsed = parseCreditDocument(payload);
  if (!parsed.ok) throw new DocumentFormatError(`the payload is not a credit document: ${parsed.reason}`);
  if (canonicalJson(payload) !== payloadText) throw new DocumentFormatError('the payload is not in RFC 8785 canonical form');
  return { document: parsed.document, signatures };
}

/**
 * True when one signature of a document in the JSON serialization verifies
 * under the public JWK registered for its kid (which must suit its alg):
 * EdDSA (Ed25519), ES256 (P-256, r ‖ s) or SM2SM3 (SM2 with SM3 and Z_A,
 * DER). Never throws for a bad signature; throws when the JWK cannot be used.
 */
export function verifyDocumentJsonSignature(signature: DecodedDocumentSignature, publicJwk: Record<string, unknown>): boolean {
  const { alg } = signature.header;
  if (alg === SM2SM3_ALGORITHM)
    return verifySm2Sm3(signature.signingInput, signature.signature, publicJwk as unknown as Sm2PublicJwk, signature.header);
  const { kid: _kid, alg: _alg, use: _use, ...material } = publicJwk;
  const key = createPublicKey({ key: material as JsonWebKey, format: 'jwk' });
  if (alg === 'EdDSA') return nodeVerify(null, signature.signingInput, key, signature.signature);
  return nodeVerify('sha256', signature.signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature.signature);
}
