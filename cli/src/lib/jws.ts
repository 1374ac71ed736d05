/** A compact JWS split into its parts, with header and payload decoded. */
export interface DecodedJws {
  /** Protected header (alg, kid, typ, ...). */
  header: Record<string, unknown>;
  /** Payload parsed as JSON. */
  payload: unknown;
  /** The three base64url segments. */
  segments: [string, string, string];
}

const SEGMENT = /^[A-Za-z0-9_-]*$/;

function decodeSegmentJson(segment: string, what: string): unknown {
  const text = Buffer.from(segment, 'base64url').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`the JWS ${what} is not base64url-encoded JSON`);
  }
}

/**
 * Splits and decodes a compact JWS without checking its signature.
 *
 * @throws Error naming what is malformed.
 */
export function decodeCompactJws(jws: string): DecodedJws {
  const parts = jws.split('.');
  if (parts.length !== 3) throw new Error(`a compact JWS has 3 dot-separated parts, this has ${parts.length}`);
  const [h, p, s] = parts as [string, string, string];
  if (![h, p, s].every((x) => SEGMENT.test(x))) throw new Error('a compact JWS uses only base64url characters');
  if (h === '' || s === '') throw new Error('the JWS header or signature is empty');
  const header = decodeSegmentJson(h, 'header');
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Error('the JWS header is not a JSON object');
  const payload = decodeSegmentJson(p, 'payload');
  return { header: header as Record<string, unknown>, payload, segments: [h, p, s] };
}
