import { CompactSign, base64url, compactVerify, importJWK, type CryptoKey } from 'jose';
import { DOCUMENT_JWS_TYPE, canonicalJson, canonicalJsonBytes, sha256Hex, type CreditDocument } from '@jcc/domain';
import { parseCreditDocument } from './document-schema.js';

/** JWS algorithms a document may be signed with: Ed25519 (the gateways' keys) and P-256 (keys a city may register). */
export const DOCUMENT_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/** The protected header of a signed document. */
export interface DocumentHeader {
  alg: (typeof DOCUMENT_ALGORITHMS)[number];
  kid: string;
  typ: typeof DOCUMENT_JWS_TYPE;
}

/** Raised when a string is not a well-formed signed document; `reason` says which rule failed. */
export class DocumentFormatError extends Error {
  override readonly name = 'DocumentFormatError';
}

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
 * The hash anchored on the ledger for a signed document: SHA-256 of the
 * compact JWS's ASCII bytes, as 64 lower-case hex characters.
 */
export function documentHash(jws: string): string {
  return sha256Hex(jws);
}

/** A signed document taken apart without checking the signature. */
export interface DecodedDocument {
  header: DocumentHeader;
  document: CreditDocument;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const ALLOWED_HEADER_MEMBERS = new Set(['alg', 'kid', 'typ']);
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Takes a compact JWS apart and checks its form: three base64url parts, a
 * protected header of exactly `alg` (EdDSA or ES256), `kid` and `typ`
 * (`jcc-document+jws`), and a payload that is a credit document written in
 * RFC 8785 canonical form. The signature is NOT checked here.
 *
 * @throws DocumentFormatError naming the rule that failed.
 */
export function decodeDocumentJws(jws: string): DecodedDocument {
  if (typeof jws !== 'string' || !COMPACT_JWS.test(jws))
    throw new DocumentFormatError('not a compact JWS (three base64url parts separated by dots)');
  const [headerPart, payloadPart] = jws.split('.') as [string, string, string];
  let header: Record<string, unknown>;
  let payloadText: string;
  try {
    header = JSON.parse(decoder.decode(base64url.decode(headerPart))) as Record<string, unknown>;
    payloadText = decoder.decode(base64url.decode(payloadPart));
  } catch {
    throw new DocumentFormatError('the header or payload is not base64url-encoded UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new DocumentFormatError('the protected header is not a JSON object');
  for (const name of Object.keys(header)) {
    if (!ALLOWED_HEADER_MEMBERS.has(name))
      throw new DocumentFormatError(`the protected header has a member "${name}"; only alg, kid and typ are allowed`);
  }
  if (!DOCUMENT_ALGORITHMS.includes(header.alg as DocumentHeader['alg']))
    throw new DocumentFormatError(`alg "${String(header.alg)}" is not allowed; use EdDSA or ES256`);
  if (typeof header.kid !== 'string' || header.kid === '') throw new DocumentFormatError('the protected header has no kid');
  if (header.typ !== DOCUMENT_JWS_TYPE) throw new DocumentFormatError(`typ must be "${DOCUMENT_JWS_TYPE}"`);
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    throw new DocumentFormatError('the payload is not JSON');
  }
  const parsed = parseCreditDocument(payload);
  if (!parsed.ok) throw new DocumentFormatError(`the payload is not a credit document: ${parsed.reason}`);
  if (canonicalJson(payload) !== payloadText) throw new DocumentFormatError('the payload is not in RFC 8785 canonical form');
  return { header: header as unknown as DocumentHeader, document: parsed.document };
}

/** Public keys already imported, by algorithm and key material (registered keys never change). */
const importedKeys = new Map<string, CryptoKey | Uint8Array>();

/**
 * True when the JWS signature verifies under the public JWK (which must suit
 * the header's alg). Never throws for a bad signature; throws only when the
 * JWK itself cannot be imported.
 */
export async function verifyDocumentSignature(
  jws: string,
  alg: DocumentHeader['alg'],
  publicJwk: Record<string, unknown>,
): Promise<boolean> {
  const { kid: _kid, alg: _alg, use: _use, ...material } = publicJwk;
  const cacheKey = `${alg}|${String(material.kty)}|${String(material.crv)}|${String(material.x)}|${String(material.y ?? '')}`;
  let key = importedKeys.get(cacheKey);
  if (!key) {
    key = await importJWK(material, alg);
    if (importedKeys.size >= 1000) importedKeys.clear();
    importedKeys.set(cacheKey, key);
  }
  try {
    await compactVerify(jws, key, { algorithms: [alg] });
    return true;
  } catch {
    return false;
  }
}
