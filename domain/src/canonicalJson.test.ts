import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_JSON_DEPTH, canonicalJson, canonicalJsonBytes, canonicalJsonOfFlat, jsonInputProblem } from './canonicalJson.js';

/** A double from its IEEE 754 bit pattern, as RFC 8785 Appendix B lists them. */
function fromBits(hex: string): number {
  return Buffer.from(hex, 'hex').readDoubleBE(0);
}

describe('canonicalJson (RFC 8785)', () => {
  it('serialises the example of RFC 8785 §3.2.2 exactly', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    assert.equal(
      canonicalJson(input),
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts members by UTF-16 code units, as in the example of RFC 8785 §3.2.3', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const text = canonicalJson(input);
    const positions = [
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ].map((value) => text.indexOf(value));
    assert.ok(positions.every((p) => p > 0));
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
    assert.ok(text.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"'));
  });

  it('formats numbers as ECMAScript does (RFC 8785 Appendix B)', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [bits, expected] of cases) assert.equal(canonicalJson(fromBits(bits)), expected, bits);
  });

  it('refuses values with no JSON form: NaN, Infinity, undefined, functions, bigints, lone surrogates, cycles', () => {
    for (const value of [NaN, Infinity, -Infinity, undefined, () => 1, 10n, Symbol('s'), '\ud800', { ['\udc00']: 1 }]) {
      assert.throws(() => canonicalJson(value), TypeError, String(typeof value));
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    assert.throws(() => canonicalJson(cycle), TypeError);
    assert.throws(() => canonicalJson({ bad: fromBits('7ff8000000000000') }), TypeError);
  });

  it('leaves out undefined members and writes undefined array items as null, like JSON.stringify', () => {
    assert.equal(canonicalJson({ b: undefined, a: [undefined, 1], c: { z: 1, y: undefined } }), '{"a":[null,1],"c":{"z":1}}');
  });

  it('refuses a function inside an array rather than writing it as null', () => {
    assert.throws(() => canonicalJson({ a: [1, () => 2] }), TypeError);
  });

  it('sorts nested members, keeps array order, uses toJSON, and writes no whitespace', () => {
    assert.equal(
      canonicalJson({ z: [3, 1, 2], a: { d: 1, c: { f: true, e: null } } }),
      '{"a":{"c":{"e":null,"f":true},"d":1},"z":[3,1,2]}',
    );
    assert.equal(canonicalJson({ at: new Date(Date.UTC(2026, 10, 26)) }), '{"at":"2026-11-26T00:00:00.000Z"}');
    assert.equal(canonicalJson([]), '[]');
    assert.equal(canonicalJson({}), '{}');
    assert.equal(canonicalJson('青岛'), '"青岛"');
  });

  it('gives the same text for the same value whatever the member order', () => {
    assert.equal(canonicalJson({ a: 1, b: { c: 2, d: 3 } }), canonicalJson({ b: { d: 3, c: 2 }, a: 1 }));
  });

  it('encodes the canonical text as UTF-8 bytes', () => {
    assert.deepEqual(Buffer.from(canonicalJsonBytes({ city: '烟台' })), Buffer.from('{"city":"烟台"}', 'utf8'));
  });
});

describe('jsonInputProblem (JSON input the gateway and canonicalJson refuse)', () => {
  it('refuses lone surrogates in strings and member names, wherever they are', () => {
    assert.match(jsonInputProblem(JSON.parse('{"a":[{"b":"x\\ud800"}]}')) ?? '', /a\[0\]\.b: .*lone surrogate/);
    assert.match(jsonInputProblem(JSON.parse('{"\\udc00":1}')) ?? '', /lone surrogate/);
    assert.equal(jsonInputProblem(JSON.parse('{"a":"\\ud83d\\ude00"}')), undefined);
  });

  it('refuses numbers beyond 2^53 instead of letting them round', () => {
    assert.match(jsonInputProblem(JSON.parse('{"n":9007199254740993}')) ?? '', /n: numbers beyond/);
    assert.match(jsonInputProblem(JSON.parse('[-1e300]')) ?? '', /numbers beyond/);
    assert.equal(jsonInputProblem(JSON.parse('{"n":9007199254740991,"f":0.5}')), undefined);
  });

  it('refuses nesting beyond MAX_JSON_DEPTH, without exhausting the stack', () => {
    const ok = JSON.parse(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`);
    assert.equal(jsonInputProblem(ok), undefined);
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    assert.match(jsonInputProblem(deep) ?? '', /nested deeper than/);
    assert.throws(() => canonicalJson(deep), /nested deeper than/);
  });
});

describe('canonicalJsonOfFlat (the fast form for flat records)', () => {
  it('writes exactly what canonicalJson writes for any flat record of strings and booleans', () => {
    const name = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((n) => !/^(0|[1-9]\d*)$/.test(n) && n !== '__proto__');
    const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.boolean(), fc.constant(undefined));
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 12 }), (record) => {
        assert.equal(canonicalJsonOfFlat(record), canonicalJson(record));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what it cannot write in canonical form: an array-index member, a number, a lone surrogate', () => {
    assert.throws(() => canonicalJsonOfFlat({ '1': 'a' }), TypeError);
    assert.throws(() => canonicalJsonOfFlat({ a: 1 as unknown as string }), TypeError);
    assert.throws(() => canonicalJsonOfFlat({ a: '\ud800' }), TypeError);
  });
});
