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
 * Deepest nesting of arrays and objects accepted in JSON input and in
 * canonical JSON (the top-level value is depth 1). Credit documents nest a
 * few levels; the bound keeps recursive code far from the stack limit.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Refuses what has no canonical JSON form and which `canonicalize` would
 * otherwise write wrongly or loop on: lone surrogates, functions, symbols and
 * bigints inside arrays, cycles, and nesting deeper than {@link MAX_JSON_DEPTH};
 * with `exactNumbers` (JSON input), also numbers beyond ±(2^53 - 1), which
 * JSON.parse has already rounded, so the value is not what was written.
 * `toJSON` is applied as JSON.stringify does.
 */
function checkJsonValue(value: unknown, ancestors: Set<object>, depth: number, where: string, exactNumbers: boolean): void {
  if (typeof value === 'string') {
    if (hasLoneSurrogate(value)) throw new TypeError(`${where}: a string with a lone surrogate has no canonical JSON form`);
    return;
  }
  if (typeof value === 'number') {
    if (exactNumbers && Math.abs(value) > Number.MAX_SAFE_INTEGER)
      throw new TypeError(`${where}: numbers beyond ±(2^53 - 1) cannot be represented exactly; send them as strings`);
    return;
  }
  if (typeof value === 'bigint') throw new TypeError(`${where}: a bigint has no JSON representation`);
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_JSON_DEPTH) throw new TypeError(`${where}: nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (ancestors.has(value)) throw new TypeError(`${where}: a circular structure has no JSON representation`);
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') {
    ancestors.add(value);
    checkJsonValue((withToJson.toJSON as () => unknown).call(value), ancestors, depth, where, exactNumbers);
    ancestors.delete(value);
    return;
  }
  ancestors.add(value);
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      if (typeof item === 'function') throw new TypeError(`${where}[${index}]: a function has no JSON representation`);
      checkJsonValue(item, ancestors, depth + 1, `${where}[${index}]`, exactNumbers);
    });
  } else {
    for (const [name, member] of Object.entries(value)) {
      const path = `${where}.${hasLoneSurrogate(name) ? '?' : name.slice(0, 64)}`;
      checkJsonValue(name, ancestors, depth + 1, path, exactNumbers);
      if (typeof member !== 'function' && typeof member !== 'symbol') checkJsonValue(member, ancestors, depth + 1, path, exactNumbers);
    }
  }
  ancestors.delete(value);
}

/**
 * Why a value parsed from JSON input cannot be accepted, or `undefined`
 * when it can: a lone UTF-16 surrogate in any string or member name, a
 * number beyond ±(2^53 - 1) (refused, never rounded), or nesting deeper
 * than {@link MAX_JSON_DEPTH}. Whatever passes has a canonical form that
 * says exactly what the client wrote, so it can be signed.
 */
export function jsonInputProblem(value: unknown, where = 'body'): string | undefined {
  try {
    checkJsonValue(value, new Set(), 1, where, true);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
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
  checkJsonValue(value, new Set(), 1, 'value', false);
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

/** A flat record: members that are not array indices, each a string (without lone surrogates), a boolean or absent. */
export type FlatRecord = Readonly<Record<string, string | boolean | undefined>>;

/**
 * {@link canonicalJson} of a flat record, for hot paths (an evaluation
 * import derives an id from each line): the members in UTF-16 code-unit
 * order and each value as `JSON.stringify` writes it, which for such values
 * is exactly the RFC 8785 form, without the general checks. Absent
 * (`undefined`) members are left out, as `canonicalJson` does. Property
 * tests check it against {@link canonicalJson}.
 *
 * @throws TypeError for a member that is an array index, or a value that is not a string or boolean.
 */
export function canonicalJsonOfFlat(record: FlatRecord): string {
  const ordered: Record<string, string | boolean> = {};
  for (const name of Object.keys(record).sort()) {
    const value = record[name];
    if (value === undefined) continue;
    if (typeof value !== 'string' && typeof value !== 'boolean') throw new TypeError(`${name}: not a string or boolean`);
    if (/^(0|[1-9]\d*)$/.test(name)) throw new TypeError(`${name}: an array index orders differently in a JavaScript object`);
    if (typeof value === 'string' && hasLoneSurrogate(value))
      throw new TypeError(`${name}: a string with a lone surrogate has no canonical JSON form`);
    ordered[name] = value;
  }
  return JSON.stringify(ordered);
}
