import assert from 'node:assert/strict';
import { CompactSign, compactVerify, exportJWK, generateKeyPair } from 'jose';
import { signatureAlgorithm } from '@jcc/domain';

/** The verification core checks Ed25519 and P-256 signatures with node:crypto; jose must agree on the same inputs. */
describe('document signature checks (node:crypto) agree with jose', () => {
  for (const [alg, options] of [
    ['EdDSA', { crv: 'Ed25519' }],
    ['ES256', {}],
  ] as const) {
    it(`${alg}: jose's signatures verify, altered ones do not, and jose agrees on every input`, async () => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { ...options, extractable: true });
      const other = await generateKeyPair(alg, { ...options, extractable: true });
      const jwk = { ...(await exportJWK(publicKey)) } as Record<string, unknown>;
      const algorithm = signatureAlgorithm(alg);
      assert.ok(algorithm?.suits(jwk));
      for (let i = 0; i < 20; i++) {
        const payload = new TextEncoder().encode(JSON.stringify({ n: i, text: 'x'.repeat(i * 13) }));
        const signer = i % 2 === 0 ? privateKey : other.privateKey;
        const jws = await new CompactSign(payload).setProtectedHeader({ alg, kid: 'k1', typ: 'jcc-document+jws' }).sign(signer);
        const [h, p, s] = jws.split('.') as [string, string, string];
        const signature = Buffer.from(s, 'base64url');
        const altered = Buffer.from(signature);
        altered[i % altered.length]! ^= 1;
        for (const [input, sig] of [
          [`${h}.${p}`, signature],
          [`${h}.${p}`, altered],
          [`${h}.${p}x`, signature],
        ] as const) {
          const ours = algorithm!.verify(Buffer.from(input, 'ascii'), sig, jwk);
          const theirs = await compactVerify(`${input}.${Buffer.from(sig).toString('base64url')}`, publicKey).then(
            () => true,
            () => false,
          );
          assert.equal(ours, theirs, `${alg} #${i}: node:crypto says ${ours}, jose ${theirs}`);
        }
        assert.equal(algorithm!.verify(Buffer.from(`${h}.${p}`, 'ascii'), signature, jwk), signer === privateKey);
      }
    });
  }
});
