import assert from 'node:assert/strict';
import { decodeCompactJws } from './jws.js';

const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('compact JWS decoding', () => {
  it('decodes header and payload', () => {
    const decoded = decodeCompactJws(`${enc({ alg: 'EdDSA', kid: 'k1' })}.${enc({ id: 'd1' })}.c2ln`);
    assert.deepEqual(decoded.header, { alg: 'EdDSA', kid: 'k1' });
    assert.deepEqual(decoded.payload, { id: 'd1' });
  });

  it('names what is malformed', () => {
    assert.throws(() => decodeCompactJws('a.b'), /3 dot-separated parts/);
    assert.throws(() => decodeCompactJws('a+b.c.d'), /base64url/);
    assert.throws(() => decodeCompactJws(`${enc({ alg: 'EdDSA' })}.${Buffer.from('not json').toString('base64url')}.c2ln`), /payload/);
    assert.throws(() => decodeCompactJws(`${enc([1])}.${enc({})}.c2ln`), /header is not a JSON object/);
    assert.throws(() => decodeCompactJws(`.${enc({})}.c2ln`), /empty/);
  });
});
