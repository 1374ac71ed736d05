/**
 * fast-check arbitraries for fuzzing the gateway from its OpenAPI document:
 * values that follow a JSON Schema (so requests get past the first checks),
 * and the hostile values and mutations that found the defects of issue 11 §2
 * (bad percent-encoding, lone surrogates, huge integers, deep nesting, ...).
 */
import fc from 'fast-check';

/** A JSON Schema as the OpenAPI document carries it (loosely typed). */
export type JsonSchema = Record<string, unknown>;

/** Text values that break naive code: encodings, surrogates, controls, sizes. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\r\nX-Injected: 1',
  '\ud800',
  '\udc00x',
  '\ud83d\ude00',
  '\u202e\u0644\u0627',
  '张三, 手机13800138000',
  '11010519491231002X',
  '９１３７０２００ＭＡ３ＣＤ８ＵＵ５Ｘ',
  '../../etc/passwd',
  '%ZZ',
  '<script>alert(1)</script>',
  '{"$gt":""}',
  'x'.repeat(5000),
  '2027-06-30T12:00:00+08:00',
  '9007199254740993',
];

/** Path segments as a client could send them (already percent-encoded, some of it badly). */
export const HOSTILE_SEGMENTS = [
  '%ZZ',
  '%',
  '%E0%A4%A',
  '%ED%A0%80',
  '%00',
  '%2e%2e%2f',
  '..',
  '%F0%9F%98%80',
  'a%2Fb',
  'x'.repeat(3000),
  '%C0%AF',
];

/** Encodes a string as a URL path segment; lone surrogates become the (invalid) UTF-8 bytes of the code unit. */
export function encodeSegment(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      out +=
        `%${(0xe0 | (unit >> 12)).toString(16)}%${(0x80 | ((unit >> 6) & 0x3f)).toString(16)}%${(0x80 | (unit & 0x3f)).toString(16)}`.toUpperCase();
    } else out += encodeURIComponent(text[i] ?? '');
  }
  return out;
}

const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/** A string following `schema` (enum, const, pattern, length) where possible. */
function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (typeof schema.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= 4096);
    } catch {
      // a pattern fast-check cannot generate from: plain strings
    }
  }
  if (schema.format === 'date-time')
    return fc.date({ min: new Date('2027-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 40, 200);
  return fc.string({ minLength: Math.min(minLength, maxLength), maxLength, unit: 'grapheme' });
}

/** Values that follow a JSON Schema, for the members the generator understands. */
export function fromSchema(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return anyJson;
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth + 1)));
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) return fromSchema(schema.allOf[0] as JsonSchema, depth + 1);
  const type = Array.isArray(schema.type) ? (schema.type[0] as string) : (schema.type as string | undefined);
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, member] of Object.entries(properties)) record[name] = fromSchema(member, depth + 1);
      const names = Object.keys(properties);
      if (names.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 });
      return fc.record(record, { requiredKeys: required.filter((r) => names.includes(r)) });
    }
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxItems = Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 3, 5);
      return fc.array(fromSchema(schema.items as JsonSchema | undefined, depth + 1), {
        minLength: Math.min(minItems, maxItems),
        maxLength: maxItems,
      });
    }
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({
        min: typeof schema.minimum === 'number' ? schema.minimum : -1000,
        max: typeof schema.maximum === 'number' ? Math.min(schema.maximum, 2 ** 31) : 1000,
      });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return anyJson;
  }
}

/** A value that breaks what naive code expects: hostile text, wrong types, huge or deep structures. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(null, true, 0, -1, 1e308, 2 ** 53 + 2, -(2 ** 60), 0.1, [], {}),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.integer({ min: 1, max: 200 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown),
  anyJson,
);

/** JSON paths of an object value, for mutations. */
function memberPaths(
  value: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  if (value !== null && typeof value === 'object' && prefix.length < 5) {
    for (const [k, v] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(path);
      memberPaths(v, path, out);
    }
  }
  return out;
}

/** A mutation of a JSON value: one member replaced, removed or added. */
export function mutate(value: unknown): fc.Arbitrary<unknown> {
  const paths = memberPaths(value);
  const whole = fc.oneof(hostileValue, fc.constant(value));
  if (paths.length === 0) return whole;
  return fc.oneof(
    whole,
    fc.tuple(fc.constantFrom(...paths), hostileValue, fc.constantFrom('replace', 'remove', 'add')).map(([path, replacement, how]) => {
      const copy = structuredClone(value) as Record<string | number, unknown>;
      let parent: Record<string | number, unknown> = copy;
      for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
      const last = path[path.length - 1] as string | number;
      if (how === 'replace') parent[last] = replacement;
      else if (how === 'remove') delete parent[last];
      else parent[`x${String(last)}`] = replacement;
      return copy;
    }),
  );
}

/** Raw JSON texts that JSON.parse reads into values the gateway must refuse, or cannot parse at all. */
export function hostileJsonText(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constant(valid.slice(0, Math.max(0, valid.length - 1))),
    fc.constant(valid.replace(/"([^"\\]*)"/, '"\\ud800$1"')),
    fc.constant(valid.replace(/:\s*(-?\d+)/, ':123456789012345678901234567890')),
    fc.constant(valid.replace(/^\{/, `{"deep":${'['.repeat(3000)}${']'.repeat(3000)},`)),
    fc.constant(`${valid}garbage`),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}
