import { canonicalJson } from '../canonicalJson.js';
import { DOCUMENT_JWS_TYPE, type CreditDocument } from '../document.js';
import { sha256Hex } from '../hash.js';
import { sm3Hex } from '../crypto/sm3.js';
import { JwsFormatError, decodeGeneralJws } from '../jws/general-json.js';
import { SM2SM3_ALGORITHM, SM2_ID_HEADER } from '../jws/sm2sm3.js';
import { parseCreditDocument } from './document-schema.js';
import { documentAlgorithms, signatureAlgorithm } from './signature-algorithms.js';

/**
 * The protected header of one signature of a signed document: exactly `alg`
 * (a registered signature algorithm), `kid` and `typ`, and for `SM2SM3` only
 * an optional `sm2id` (a distinguishing identifier other than the default).
 */
export interface DocumentHeader {
  alg: string;
  kid: string;
  typ: typeof DOCUMENT_JWS_TYPE;
  /** SM2SM3 only: the signer's distinguishing identifier, when not the default `1234567812345678`. */
  sm2id?: string;
}

/** Raised when a string is not a well-formed signed document; the message names the rule that failed. */
export class DocumentFormatError extends Error {
  override readonly name = 'DocumentFormatError';
}

/** One signature of a signed document, taken apart (not verified). */
export interface DocumentSignature {
  header: DocumentHeader;
  /** The ASCII bytes the signature covers: `BASE64URL(protected header) '.' BASE64URL(payload)`. */
  signingInput: Uint8Array;
  /** The decoded signature bytes. */
  signature: Uint8Array;
}

/** A signed document taken apart without checking any signature. */
export interface DecodedDocument {
  /** `compact` (RFC 7515 §7.1, one signature) or `json` (the general JSON serialization, §7.2.1, one or more). */
  form: 'compact' | 'json';
  /** The header of the first signature: the one whose kid the document's single anchor names. */
  header: DocumentHeader;
  document: CreditDocument;
  /** Every signature, in the order written. */
  signatures: DocumentSignature[];
}

/**
 * The hash anchored on the ledger for a signed document: SHA-256 of the
 * signed document's exact text (the compact JWS, or the canonical JSON text
 * of the JSON serialization) as ASCII/UTF-8 bytes, 64 lower-case hex characters.
 */
export function documentHash(jws: string): string {
  return sha256Hex(jws);
}

/**
 * The SM3 content hash an issuer may anchor beside {@link documentHash}
 * (`contentHashSm3`): SM3 of the same bytes, 64 lower-case hex characters.
 */
export function documentHashSm3(jws: string): string {
  return sm3Hex(jws);
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const HEADER_MEMBERS = ['alg', 'kid', 'typ'];
const SM2_HEADER_MEMBERS = [...HEADER_MEMBERS, SM2_ID_HEADER];
const decoder = new TextDecoder('utf-8', { fatal: true });

function base64urlText(part: string): string {
  return decoder.decode(Buffer.from(part, 'base64url'));
}

/** Checks one protected header (`where` prefixes the message for the JSON serialization). */
function documentHeader(header: unknown, where: string): DocumentHeader {
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw new DocumentFormatError(`${where}the protected header is not a JSON object`);
  const h = header as Record<string, unknown>;
  const allowed = h.alg === SM2SM3_ALGORITHM ? SM2_HEADER_MEMBERS : HEADER_MEMBERS;
  for (const name of Object.keys(h)) {
    if (!allowed.includes(name))
      throw new DocumentFormatError(
        `${where}the protected header has a member "${name}"; only alg, kid and typ are allowed (and sm2id with ${SM2SM3_ALGORITHM})`,
      );
  }
  if (typeof h.alg !== 'string' || !signatureAlgorithm(h.alg))
    throw new DocumentFormatError(`${where}alg "${String(h.alg)}" is not allowed; use ${documentAlgorithms().join(', ')}`);
  if (typeof h.kid !== 'string' || h.kid === '') throw new DocumentFormatError(`${where}the protected header has no kid`);
  if (h.typ !== DOCUMENT_JWS_TYPE) throw new DocumentFormatError(`${where}typ must be "${DOCUMENT_JWS_TYPE}"`);
  const out: DocumentHeader = { alg: h.alg, kid: h.kid, typ: DOCUMENT_JWS_TYPE };
  if (h.sm2id !== undefined) {
    if (typeof h.sm2id !== 'string' || h.sm2id === '') throw new DocumentFormatError(`${where}sm2id must be a non-empty string`);
    out.sm2id = h.sm2id;
  }
  return out;
}

/** Checks the payload text: a credit document written in RFC 8785 canonical form. */
function creditDocumentOf(payloadText: string): CreditDocument {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    throw new DocumentFormatError('the payload is not JSON');
  }
  const parsed = parseCreditDocument(payload);
  if (!parsed.ok) throw new DocumentFormatError(`the payload is not a credit document: ${parsed.reason}`);
  if (canonicalJson(payload) !== payloadText) throw new DocumentFormatError('the payload is not in RFC 8785 canonical form');
  return parsed.document;
}

function decodeCompact(jws: string): DecodedDocument {
  if (!COMPACT_JWS.test(jws))
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
  const checked = documentHeader(header, '');
  const document = creditDocumentOf(payloadText);
  const signature: DocumentSignature = {
    header: checked,
    signingInput: Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'),
    signature: Buffer.from(signaturePart, 'base64url'),
  };
  return { form: 'compact', header: checked, document, signatures: [signature] };
}

function decodeJson(text: string): DecodedDocument {
  let general;
  try {
    general = decodeGeneralJws(text);
  } catch (err) {
    if (err instanceof JwsFormatError) throw new DocumentFormatError(`JWS JSON serialization: ${err.message}`);
    throw err;
  }
  const kids = new Set<string>();
  const signatures = general.signatures.map((entry, i): DocumentSignature => {
    const header = documentHeader(entry.header, `signatures[${i}]: `);
    if (kids.has(header.kid)) throw new DocumentFormatError(`signatures[${i}]: kid "${header.kid}" signs twice`);
    kids.add(header.kid);
    return { header, signingInput: entry.signingInput, signature: entry.signature };
  });
  let payloadText: string;
  try {
    payloadText = decoder.decode(general.payload);
  } catch {
    throw new DocumentFormatError('the payload is not UTF-8');
  }
  const document = creditDocumentOf(payloadText);
  return { form: 'json', header: signatures[0]!.header, document, signatures };
}

/**
 * Takes a signed document apart and checks its form, taking the text exactly
 * as given (nothing is trimmed). Two forms are read:
 * - a compact JWS: exactly three base64url parts (no padding, no whitespace);
 * - a JWS in the general JSON serialization (RFC 7515 §7.2.1), text starting
 *   with `{`: exactly `payload` and `signatures` (1 to 4 entries of exactly
 *   `protected` and `signature`), the whole text in RFC 8785 canonical form,
 *   no kid signing twice.
 * Each protected header has exactly `alg` (a registered signature algorithm),
 * `kid` and `typ` (`jcc-document+jws`), plus optionally `sm2id` for SM2SM3; the
 * payload is a credit document written in RFC 8785 canonical form.
 * No signature is checked here.
 *
 * @throws DocumentFormatError naming the rule that failed.
 */
export function decodeDocumentJws(jws: string): DecodedDocument {
  if (typeof jws !== 'string') throw new DocumentFormatError('not a signed document (not a string)');
  return jws.startsWith('{') ? decodeJson(jws) : decodeCompact(jws);
}

/**
 * True when one signature verifies under the public JWK, with the algorithm
 * its header names (which must suit the JWK). Never throws.
 */
export function verifySignatureWith(signature: DocumentSignature, publicJwk: Record<string, unknown>): boolean {
  const algorithm = signatureAlgorithm(signature.header.alg);
  if (!algorithm || !algorithm.suits(publicJwk)) return false;
  return algorithm.verify(signature.signingInput, signature.signature, publicJwk, { ...signature.header });
}

/**
 * True when a signature of the document (of algorithm `alg`, when given)
 * verifies under the public JWK. Never throws: a malformed document, an
 * unknown algorithm or a JWK that does not suit it give `false`.
 */
export function verifyDocumentSignature(jws: string, publicJwk: Record<string, unknown>, alg?: string): boolean {
  let decoded: DecodedDocument;
  try {
    decoded = decodeDocumentJws(jws);
  } catch {
    return false;
  }
  return decoded.signatures.some((s) => (alg === undefined || s.header.alg === alg) && verifySignatureWith(s, publicJwk));
}
