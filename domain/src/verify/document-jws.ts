import { canonicalJson } from '../canonicalJson.js';
import { DOCUMENT_JWS_TYPE, type CreditDocument } from '../document.js';
import { sha256Hex } from '../hash.js';
import { parseCreditDocument } from './document-schema.js';
import { documentAlgorithms, signatureAlgorithm } from './signature-algorithms.js';

/** The protected header of a signed document: exactly `alg`, `kid` and `typ`. */
export interface DocumentHeader {
  alg: string;
  kid: string;
  typ: typeof DOCUMENT_JWS_TYPE;
}

/** Raised when a string is not a well-formed signed document; the message names the rule that failed. */
export class DocumentFormatError extends Error {
  override readonly name = 'DocumentFormatError';
}

/** A signed document taken apart without checking the signature. */
export interface DecodedDocument {
  header: DocumentHeader;
  document: CreditDocument;
  /** The ASCII bytes the signature covers: `BASE64URL(header) '.' BASE64URL(payload)`. */
  signingInput: Uint8Array;
  /** The decoded signature bytes. */
  signature: Uint8Array;
}

/**
 * The hash anchored on the ledger for a signed document: SHA-256 of the
 * compact JWS's ASCII bytes, as 64 lower-case hex characters.
 */
export function documentHash(jws: string): string {
  return sha256Hex(jws);
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const ALLOWED_HEADER_MEMBERS = new Set(['alg', 'kid', 'typ']);
const decoder = new TextDecoder('utf-8', { fatal: true });

function base64urlText(part: string): string {
  return decoder.decode(Buffer.from(part, 'base64url'));
}

/**
 * Takes a compact JWS apart and checks its form: exactly three base64url
 * parts (no padding, no whitespace anywhere: nothing is trimmed), a protected
 * header of exactly `alg` (a registered signature algorithm), `kid` and `typ`
 * (`jcc-document+jws`), and a payload that is a credit document written in
 * RFC 8785 canonical form. The signature is NOT checked here.
 *
 * @throws DocumentFormatError naming the rule that failed.
 */
export function decodeDocumentJws(jws: string): DecodedDocument {
  if (typeof jws !== 'string' || !COMPACT_JWS.test(jws))
    throw new DocumentFormatError('not a compact JWS (three base64url parts separated by dots, nothing before or after)');
  const [headerPart, payloadPart, signaturePart] = jws.split('.') as [string, string, string];
  let header: unknown;
  let payloadText: string;
  try {
    header = JSON.parse(base64urlText(headerPart));
    payloadText = base64urlText(payloadPart);
  } catch {
    throw new DocumentFormatError('the header or payload is not base64url-encoded UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new DocumentFormatError('the protected header is not a JSON object');
  const h = header as Record<string, unknown>;
  for (const name of Object.keys(h)) {
    if (!ALLOWED_HEADER_MEMBERS.has(name))
      throw new DocumentFormatError(`the protected header has a member "${name}"; only alg, kid and typ are allowed`);
  }
  if (typeof h.alg !== 'string' || !signatureAlgorithm(h.alg))
    throw new DocumentFormatError(`alg "${String(h.alg)}" is not allowed; use ${documentAlgorithms().join(' or ')}`);
  if (typeof h.kid !== 'string' || h.kid === '') throw new DocumentFormatError('the protected header has no kid');
  if (h.typ !== DOCUMENT_JWS_TYPE) throw new DocumentFormatError(`typ must be "${DOCUMENT_JWS_TYPE}"`);
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    throw new DocumentFormatError('the payload is not JSON');
  }
  const parsed = parseCreditDocument(payload);
  if (!parsed.ok) throw new DocumentFormatError(`the payload is not a credit document: ${parsed.reason}`);
  if (canonicalJson(payload) !== payloadText) throw new DocumentFormatError('the payload is not in RFC 8785 canonical form');
  return {
    header: { alg: h.alg, kid: h.kid, typ: DOCUMENT_JWS_TYPE },
    document: parsed.document,
    signingInput: Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'),
    signature: Buffer.from(signaturePart, 'base64url'),
  };
}

/**
 * True when the JWS signature verifies under the public JWK with the
 * header's algorithm. Never throws: a malformed JWS, an unknown algorithm or
 * a JWK that does not suit it give `false`.
 */
export function verifyDocumentSignature(jws: string, publicJwk: Record<string, unknown>): boolean {
  let decoded: DecodedDocument;
  try {
    decoded = decodeDocumentJws(jws);
  } catch {
    return false;
  }
  const algorithm = signatureAlgorithm(decoded.header.alg);
  if (!algorithm || !algorithm.suits(publicJwk)) return false;
  return algorithm.verify(decoded.signingInput, decoded.signature, publicJwk);
}
