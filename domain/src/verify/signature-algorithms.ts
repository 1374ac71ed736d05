import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { isValidSm2PublicJwk, type Sm2PublicJwk } from '../crypto/sm2-key.js';
import { SM2SM3_ALGORITHM, verifySm2Sm3 } from '../jws/sm2sm3.js';

/**
 * How one JWS algorithm checks a signature: which JWKs suit it and the
 * verification itself. Registered per JWS `alg` so that another algorithm
 * (e.g. SM2 with SM3, `SM2SM3`) is added by registering it, not by editing the core.
 */
export interface SignatureAlgorithm {
  /** The JWS `alg` value. */
  readonly alg: string;
  /** True when a registered public JWK can be used with this algorithm. */
  suits(jwk: Record<string, unknown>): boolean;
  /**
   * True when `signature` is a valid signature of `signingInput` (the ASCII
   * bytes `BASE64URL(header) || '.' || BASE64URL(payload)`) under `jwk`;
   * `header` is the signature's protected header (SM2SM3 reads its `sm2id`).
   * Never throws for a bad signature.
   */
  verify(signingInput: Uint8Array, signature: Uint8Array, jwk: Record<string, unknown>, header?: Record<string, unknown>): boolean;
}

/** The public key material of a JWK (the ledger's bookkeeping members dropped). */
function publicKeyOf(jwk: Record<string, unknown>): KeyObject {
  const { kid: _kid, alg: _alg, use: _use, key_ops: _ops, ...material } = jwk;
  if ('d' in material) throw new Error('the JWK holds private key material');
  return createPublicKey({ key: material as import('node:crypto').JsonWebKey, format: 'jwk' });
}

const imported = new Map<string, KeyObject>();

/** The imported public key of a JWK, cached by its material (registered keys never change). */
function cachedKey(jwk: Record<string, unknown>): KeyObject {
  const id = `${String(jwk.kty)}|${String(jwk.crv)}|${String(jwk.x)}|${String(jwk.y ?? '')}`;
  let key = imported.get(id);
  if (!key) {
    key = publicKeyOf(jwk);
    if (imported.size >= 1000) imported.clear();
    imported.set(id, key);
  }
  return key;
}

/** Ed25519 (RFC 8037): the gateways' document keys. */
const eddsa: SignatureAlgorithm = {
  alg: 'EdDSA',
  suits: (jwk) => jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string' && !('d' in jwk),
  verify(signingInput, signature, jwk) {
    try {
      return cryptoVerify(null, signingInput, cachedKey(jwk), signature);
    } catch {
      return false;
    }
  },
};

/** ECDSA P-256 with SHA-256 (RFC 7518 §3.4): keys a city may register. */
const es256: SignatureAlgorithm = {
  alg: 'ES256',
  suits: (jwk) => jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string' && !('d' in jwk),
  verify(signingInput, signature, jwk) {
    if (signature.length !== 64) return false;
    try {
      return cryptoVerify('sha256', signingInput, { key: cachedKey(jwk), dsaEncoding: 'ieee-p1363' }, signature);
    } catch {
      return false;
    }
  },
};

/**
 * SM2 with SM3 (`SM2SM3`, defined in docs/national-crypto.md): GB/T 32918.2
 * signature over SM3(Z_A ‖ signing input), DER-encoded as in GM/T 0009; Z_A
 * over the header's `sm2id`, or the default identifier `1234567812345678`.
 */
const sm2sm3: SignatureAlgorithm = {
  alg: SM2SM3_ALGORITHM,
  suits: (jwk) => jwk.kty === 'EC' && jwk.crv === 'SM2' && !('d' in jwk) && isValidSm2PublicJwk(jwk),
  verify(signingInput, signature, jwk, header = {}) {
    try {
      return verifySm2Sm3(signingInput, signature, jwk as unknown as Sm2PublicJwk, header);
    } catch {
      return false;
    }
  },
};

const registry = new Map<string, SignatureAlgorithm>([
  [eddsa.alg, eddsa],
  [es256.alg, es256],
  [sm2sm3.alg, sm2sm3],
]);

/** Adds (or replaces) the algorithm a JWS `alg` value names. */
export function registerSignatureAlgorithm(algorithm: SignatureAlgorithm): void {
  registry.set(algorithm.alg, algorithm);
}

/** The algorithm registered for a JWS `alg` value, if any. */
export function signatureAlgorithm(alg: string): SignatureAlgorithm | undefined {
  return registry.get(alg);
}

/** The JWS `alg` values currently accepted for documents. */
export function documentAlgorithms(): string[] {
  return [...registry.keys()];
}
