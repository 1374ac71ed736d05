import { randomBytes } from 'node:crypto';
import { SM2_COORDINATE_LENGTH, SM2_CURVE, Sm2Point, bytesToBigint, coordinateBytes, type Sm2CurvePoint } from './sm2-curve.js';

/**
 * SM2 keys as JWK (RFC 7517): `kty` "EC", `crv` "SM2", and the coordinates
 * `x`, `y` (and for a private key the scalar `d`), each 32 bytes big-endian
 * in base64url without padding, as for the NIST curves of RFC 7518 §6.2.
 */

/** The `crv` of an SM2 JWK. */
export const SM2_JWK_CURVE = 'SM2';

/** A public SM2 key as JWK. `kid`, `alg` and `use` are carried along when present. */
export interface Sm2PublicJwk {
  kty: 'EC';
  crv: typeof SM2_JWK_CURVE;
  x: string;
  y: string;
  kid?: string;
  alg?: string;
  use?: string;
}

/** A private SM2 key as JWK: the public members and `d`. */
export interface Sm2PrivateJwk extends Sm2PublicJwk {
  d: string;
}

/** Raised for a JWK that is not a valid SM2 key (wrong members, point off the curve, d out of range, d not matching x/y). */
export class Sm2KeyError extends Error {
  override readonly name = 'Sm2KeyError';
}

const BASE64URL_32 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

function coordinate(jwk: Record<string, unknown>, member: 'x' | 'y' | 'd'): bigint {
  const value = jwk[member];
  if (typeof value !== 'string' || !BASE64URL_32.test(value))
    throw new Sm2KeyError(`${member} must be 32 bytes in base64url without padding (43 characters)`);
  return bytesToBigint(Buffer.from(value, 'base64url'));
}

function encode(value: bigint): string {
  return coordinateBytes(value).toString('base64url');
}

/** True when `value` looks like an SM2 JWK (`kty` EC, `crv` SM2), without checking the key itself. */
export function isSm2Jwk(value: unknown): value is Sm2PublicJwk {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kty?: unknown }).kty === 'EC' &&
    (value as { crv?: unknown }).crv === SM2_JWK_CURVE
  );
}

/**
 * The curve point of a public SM2 JWK, checked: on the curve, not the point
 * at infinity (the group has prime order, so that is the subgroup check too).
 *
 * @throws Sm2KeyError when it is not a valid SM2 public key.
 */
export function sm2PublicPoint(jwk: unknown): Sm2CurvePoint {
  if (!isSm2Jwk(jwk)) throw new Sm2KeyError('not an SM2 JWK (kty EC, crv SM2)');
  const x = coordinate(jwk as unknown as Record<string, unknown>, 'x');
  const y = coordinate(jwk as unknown as Record<string, unknown>, 'y');
  try {
    const point = Sm2Point.fromAffine({ x, y });
    point.assertValidity();
    return point;
  } catch {
    throw new Sm2KeyError('x/y is not a point of the SM2 curve');
  }
}

/** True when `jwk` is a valid public SM2 JWK (its point lies on the curve). */
export function isValidSm2PublicJwk(jwk: unknown): boolean {
  try {
    sm2PublicPoint(jwk);
    return true;
  } catch {
    return false;
  }
}

/** A private SM2 key ready for signing: the scalar and its public point. */
export interface Sm2KeyPair {
  d: bigint;
  publicPoint: Sm2CurvePoint;
}

/**
 * The key pair of a private SM2 JWK, checked: `d` in [1, n-2] (GB/T
 * 32918.1 §6.1; n-1 is excluded because signing inverts 1 + d) and
 * `x`/`y` equal to d·G.
 *
 * @throws Sm2KeyError when it is not a valid SM2 private key.
 */
export function sm2KeyPair(jwk: unknown): Sm2KeyPair {
  const publicPoint = sm2PublicPoint(jwk);
  const d = coordinate(jwk as Record<string, unknown>, 'd');
  if (d < 1n || d > SM2_CURVE.n - 2n) throw new Sm2KeyError('d is out of range [1, n-2]');
  if (!Sm2Point.BASE.multiply(d).equals(publicPoint)) throw new Sm2KeyError('x/y is not the public key of d');
  return { d, publicPoint };
}

/** The public JWK of a point (no `kid`). */
export function sm2JwkFromPoint(point: Sm2CurvePoint): Sm2PublicJwk {
  return { kty: 'EC', crv: SM2_JWK_CURVE, x: encode(point.x), y: encode(point.y) };
}

/** The private JWK of scalar `d` (in [1, n-2]). */
export function sm2PrivateJwkFromScalar(d: bigint): Sm2PrivateJwk {
  if (d < 1n || d > SM2_CURVE.n - 2n) throw new Sm2KeyError('d is out of range [1, n-2]');
  return { ...sm2JwkFromPoint(Sm2Point.BASE.multiply(d)), d: encode(d) };
}

/** A new SM2 key pair as a private JWK, `d` drawn uniformly from [1, n-2] by rejection sampling. */
export function generateSm2PrivateJwk(): Sm2PrivateJwk {
  for (;;) {
    const d = bytesToBigint(randomBytes(SM2_COORDINATE_LENGTH));
    if (d >= 1n && d <= SM2_CURVE.n - 2n) return sm2PrivateJwkFromScalar(d);
  }
}

/** The public members of an SM2 JWK (drops `d`; keeps `kid`, `alg`, `use` when present). */
export function sm2PublicJwk(jwk: Sm2PublicJwk): Sm2PublicJwk {
  const out: Sm2PublicJwk = { kty: 'EC', crv: SM2_JWK_CURVE, x: jwk.x, y: jwk.y };
  if (jwk.kid !== undefined) out.kid = jwk.kid;
  if (jwk.alg !== undefined) out.alg = jwk.alg;
  if (jwk.use !== undefined) out.use = jwk.use;
  return out;
}
