import { canonicalJson } from '../canonicalJson.js';

/**
 * The JWS JSON Serialization, general form (RFC 7515 §7.2.1): one payload,
 * one or more signatures, each with its own protected header. Documents use
 * only protected headers (no unprotected `header` member), and are written as
 * RFC 8785 canonical JSON, so the text, and thus its hash, is fixed once signed.
 */

/** One entry of `signatures`: base64url protected header and signature. */
export interface GeneralJwsSignature {
  protected: string;
  signature: string;
}

/** A JWS in the general JSON serialization, as written. */
export interface GeneralJws {
  payload: string;
  signatures: GeneralJwsSignature[];
}

/** One signature taken apart (not yet verified). */
export interface DecodedJwsSignature {
  /** The decoded protected header. */
  header: Record<string, unknown>;
  /** The signature bytes (for SM2SM3 the GM/T 0009 DER; for EdDSA the 64-byte Ed25519 signature). */
  signature: Buffer;
  /** The JWS Signing Input of RFC 7515 §5.1: ASCII(BASE64URL(protected) || '.' || BASE64URL(payload)). */
  signingInput: Buffer;
}

/** A general JWS taken apart. */
export interface DecodedGeneralJws {
  /** The payload bytes. */
  payload: Buffer;
  signatures: DecodedJwsSignature[];
}

/** Something that signs a JWS Signing Input under one protected header. */
export interface JwsSigner {
  /** The protected header of this signature (its `alg` names the algorithm). */
  header: Record<string, unknown>;
  /** The signature of the signing input. */
  sign(signingInput: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** Raised when a text is not a general JWS of the form documents use; the message names the rule. */
export class JwsFormatError extends Error {
  override readonly name = 'JwsFormatError';
}

/** Most signatures one JWS may carry. */
export const MAX_JWS_SIGNATURES = 4;

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The JWS Signing Input of a protected header and payload, both already base64url. */
export function jwsSigningInput(protectedB64: string, payloadB64: string): Buffer {
  return Buffer.from(`${protectedB64}.${payloadB64}`, 'ascii');
}

/** True when `text` starts like a JSON serialization (an object) rather than a compact JWS. */
export function isJwsJsonSerialization(text: string): boolean {
  return typeof text === 'string' && text.trimStart().startsWith('{');
}

/**
 * Signs `payload` once per signer, in order, and returns the general JWS as
 * RFC 8785 canonical JSON text.
 */
export async function signGeneralJws(payload: Uint8Array, signers: readonly JwsSigner[]): Promise<string> {
  if (signers.length === 0 || signers.length > MAX_JWS_SIGNATURES) throw new RangeError(`a JWS has 1 to ${MAX_JWS_SIGNATURES} signatures`);
  const payloadB64 = Buffer.from(payload).toString('base64url');
  const signatures: GeneralJwsSignature[] = [];
  for (const signer of signers) {
    const protectedB64 = Buffer.from(canonicalJson(signer.header), 'utf8').toString('base64url');
    const signature = await signer.sign(jwsSigningInput(protectedB64, payloadB64));
    signatures.push({ protected: protectedB64, signature: Buffer.from(signature).toString('base64url') });
  }
  return canonicalJson({ payload: payloadB64, signatures } satisfies GeneralJws);
}

function base64urlMember(value: unknown, where: string): string {
  if (typeof value !== 'string' || !BASE64URL.test(value) || value.length % 4 === 1)
    throw new JwsFormatError(`${where} must be a base64url string without padding`);
  return value;
}

function strictObject(value: unknown, members: readonly string[], where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwsFormatError(`${where} must be a JSON object`);
  for (const name of Object.keys(value))
    if (!members.includes(name)) throw new JwsFormatError(`${where} has a member "${name}"; only ${members.join(', ')} are allowed`);
  return value as Record<string, unknown>;
}

/**
 * Takes a general JWS apart and checks its form: a JSON object of exactly
 * `payload` and `signatures` (1 to {@link MAX_JWS_SIGNATURES} entries of
 * exactly `protected` and `signature`), base64url members, protected headers
 * that are JSON objects, and the whole text in RFC 8785 canonical form.
 * No signature is checked here.
 *
 * @throws JwsFormatError naming the rule that failed.
 */
export function decodeGeneralJws(text: string): DecodedGeneralJws {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new JwsFormatError('not JSON');
  }
  const jws = strictObject(parsed, ['payload', 'signatures'], 'the JWS');
  const payloadB64 = base64urlMember(jws.payload, 'payload');
  if (!Array.isArray(jws.signatures) || jws.signatures.length === 0 || jws.signatures.length > MAX_JWS_SIGNATURES)
    throw new JwsFormatError(`signatures must be an array of 1 to ${MAX_JWS_SIGNATURES} entries`);
  const signatures = jws.signatures.map((entry: unknown, i): DecodedJwsSignature => {
    const where = `signatures[${i}]`;
    const member = strictObject(entry, ['protected', 'signature'], where);
    const protectedB64 = base64urlMember(member.protected, `${where}.protected`);
    const signatureB64 = base64urlMember(member.signature, `${where}.signature`);
    let header: unknown;
    try {
      header = JSON.parse(decoder.decode(Buffer.from(protectedB64, 'base64url')));
    } catch {
      throw new JwsFormatError(`${where}.protected is not base64url-encoded UTF-8 JSON`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header))
      throw new JwsFormatError(`${where}.protected is not a JSON object`);
    return {
      header: header as Record<string, unknown>,
      signature: Buffer.from(signatureB64, 'base64url'),
      signingInput: jwsSigningInput(protectedB64, payloadB64),
    };
  });
  if (canonicalJson(parsed) !== text) throw new JwsFormatError('the JWS is not written in RFC 8785 canonical form');
  return { payload: Buffer.from(payloadB64, 'base64url'), signatures };
}
