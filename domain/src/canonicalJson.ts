import canonicalize from 'canonicalize';

/**
 * Serialises a JSON value canonically per RFC 8785 (JSON Canonicalization
 * Scheme): object members sorted by UTF-16 code units, no insignificant
 * whitespace, ECMAScript number formatting.
 *
 * @throws TypeError when the value cannot be represented as JSON (e.g. `undefined` at the top, a function, `NaN`).
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}

/** The UTF-8 bytes of {@link canonicalJson}. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
