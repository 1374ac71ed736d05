import { weierstrass, type WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';

/**
 * The SM2 recommended curve (SM2 推荐曲线) of GB/T 32918.5-2017 / GM/T 0003.5-2012:
 * y² = x³ + ax + b over F_p, a 256-bit prime-order group (cofactor 1).
 * Point arithmetic is @noble/curves' audited short-Weierstrass implementation;
 * only the parameters are ours.
 */
export const SM2_CURVE = Object.freeze({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});

/** Object identifier of the SM2 curve (GM/T 0006), as written in SubjectPublicKeyInfo. */
export const SM2_CURVE_OID = '1.2.156.10197.1.301';

/** Length in bytes of a field element, a scalar and each JWK coordinate. */
export const SM2_COORDINATE_LENGTH = 32;

/** The point constructor of the SM2 curve. */
export const Sm2Point = weierstrass<bigint>(SM2_CURVE);

/** A point of the SM2 curve. */
export type Sm2CurvePoint = WeierstrassPoint<bigint>;

/** `value` as 32 big-endian bytes (it must be below 2²⁵⁶). */
export function coordinateBytes(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(SM2_COORDINATE_LENGTH * 2, '0'), 'hex');
}

/** The unsigned big-endian integer written in `bytes`. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes).toString('hex'));
}

/** `a mod n`, in [0, n). */
export function modN(a: bigint): bigint {
  const r = a % SM2_CURVE.n;
  return r < 0n ? r + SM2_CURVE.n : r;
}
