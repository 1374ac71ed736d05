import { createRequire } from 'node:module';

// canonicalize 2.x is a CommonJS module exporting one function; loading it through
// createRequire keeps this module usable from ESM, from CommonJS through
// require(esm), and from test runners that transpile to CommonJS.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (value: unknown) => string | undefined;

/** True when `text` contains an unpaired UTF-16 surrogate, which I-JSON (RFC 7493) and so RFC 8785 forbid. */
function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * Refuses what has no canonical JSON form and which `canonicalize` would
 * otherwise write wrongly or loop on: lone surrogates, functions, symbols and
 * bigints inside arrays, and cycles. `toJSON` is applied as JSON.stringify does.
 */
function checkJsonValue(value: unknown, ancestors: Set<object>): void {
  if (typeof value === 'string') {
    if (hasLoneSurrogate(value)) throw new TypeError('a string with a lone surrogate has no canonical JSON form');
    return;
  }
  if (typeof value === 'bigint') throw new TypeError('a bigint has no JSON representation');
  if (value === null || typeof value !== 'object') return;
  if (ancestors.has(value)) throw new TypeError('a circular structure has no JSON representation');
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') {
    ancestors.add(value);
    checkJsonValue((withToJson.toJSON as () => unknown).call(value), ancestors);
    ancestors.delete(value);
    return;
  }
  ancestors.add(value);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'function') throw new TypeError('a function has no JSON representation');
      checkJsonValue(item, ancestors);
    }
  } else {
    for (const [name, member] of Object.entries(value)) {
      checkJsonValue(name, ancestors);
      if (typeof member !== 'function' && typeof member !== 'symbol') checkJsonValue(member, ancestors);
    }
  }
  ancestors.delete(value);
}

/**
 * Serialises a JSON value canonically per RFC 8785 (JSON Canonicalization
 * Scheme): object members sorted by UTF-16 code units, no insignificant
 * whitespace, ECMAScript number formatting. Uses the `canonicalize` package.
 *
 * @throws TypeError when the value cannot be represented as JSON (`undefined` or a function at the top, `NaN`, `Infinity`).
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'function' || typeof value === 'symbol') throw new TypeError(`a ${typeof value} has no JSON representation`);
  checkJsonValue(value, new Set());
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (err) {
    throw new TypeError(err instanceof Error ? err.message : String(err));
  }
  if (typeof text !== 'string') throw new TypeError('value has no JSON representation');
  return text;
}

/** The UTF-8 bytes of {@link canonicalJson}. */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
