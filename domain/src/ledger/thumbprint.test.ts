import assert from 'node:assert/strict';
import { jwkThumbprint } from './thumbprint.js';

describe('jwkThumbprint', () => {
  it('computes the RFC 7638 §3.1 example thumbprint (RSA members replaced by an Ed25519 key of RFC 8037 A.3)', () => {
    // RFC 8037 A.3: thumbprint of the Ed25519 public key of A.2.
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    assert.equal(jwkThumbprint(jwk), 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('ignores kid, alg and use: only the key material counts', () => {
    const jwk = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
    assert.equal(jwkThumbprint({ ...jwk, kid: 'a', alg: 'EdDSA', use: 'sig' }), jwkThumbprint(jwk));
    assert.notEqual(jwkThumbprint({ ...jwk, x: 'AAAA' }), jwkThumbprint(jwk));
  });
});
