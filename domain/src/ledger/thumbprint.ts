import { canonicalJson } from '../canonicalJson.js';
import { sha256 } from '../hash.js';

/** The members of a public JWK that identify the key (RFC 7638 §3.2), by key type. */
const REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  OKP: ['crv', 'kty', 'x'],
  EC: ['crv', 'kty', 'x', 'y'],
};

/**
 * The RFC 7638 thumbprint of a public JWK (SHA-256, base64url): the hash of
 * the JSON of its required members in lexicographic order, without white
 * space — which is what canonical JSON (RFC 8785) of those members is. Two
 * key records with the same thumbprint hold the same public key whatever
 * else (`kid`, `alg`, `use`) they carry. A city's key set records the
 * thumbprint of every key it registered (see `CityKeySetRecord`).
 *
 * @throws RangeError for a key type other than OKP or EC.
 */
export function jwkThumbprint(jwk: { kty: string } & Record<string, unknown>): string {
  const members = REQUIRED_MEMBERS[jwk.kty];
  if (!members) throw new RangeError(`no thumbprint for key type ${jwk.kty}`);
  const required: Record<string, unknown> = {};
  for (const member of members) required[member] = jwk[member];
  return sha256(canonicalJson(required)).toString('base64url');
}
