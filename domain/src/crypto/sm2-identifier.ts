import { SM2_CURVE, coordinateBytes, type Sm2CurvePoint } from './sm2-curve.js';
import { createSm3 } from './sm3.js';

/**
 * The signer's distinguishing identifier (用户可辨别标识 ID_A) and the
 * preprocessing value Z_A of GB/T 32918.2-2016 §5.5:
 * Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A),
 * where ENTL_A is the bit length of ID_A as two big-endian bytes.
 */

/** The default distinguishing identifier of GM/T 0009-2012 §10 (also OpenSSL's default). */
export const SM2_DEFAULT_ID = '1234567812345678';

/** Longest identifier, in bytes: its bit length must fit ENTL's 16 bits. */
export const SM2_MAX_ID_LENGTH = 8191;

/** Raised for an identifier that is empty or too long for ENTL. */
export class Sm2IdentifierError extends Error {
  override readonly name = 'Sm2IdentifierError';
}

/** The identifier's bytes: a string is taken as UTF-8. */
export function sm2IdentifierBytes(id: string | Uint8Array = SM2_DEFAULT_ID): Buffer {
  const bytes = typeof id === 'string' ? Buffer.from(id, 'utf8') : Buffer.from(id);
  if (bytes.length === 0 || bytes.length > SM2_MAX_ID_LENGTH)
    throw new Sm2IdentifierError(`an SM2 distinguishing identifier has 1 to ${SM2_MAX_ID_LENGTH} bytes, not ${bytes.length}`);
  return bytes;
}

/** Z_A of the public key `publicPoint` under identifier `id` (default {@link SM2_DEFAULT_ID}), 32 bytes. */
export function sm2Za(publicPoint: Sm2CurvePoint, id: string | Uint8Array = SM2_DEFAULT_ID): Buffer {
  const idBytes = sm2IdentifierBytes(id);
  const entl = Buffer.alloc(2);
  entl.writeUInt16BE(idBytes.length * 8);
  const hash = createSm3().update(entl).update(idBytes);
  for (const value of [SM2_CURVE.a, SM2_CURVE.b, SM2_CURVE.Gx, SM2_CURVE.Gy, publicPoint.x, publicPoint.y])
    hash.update(coordinateBytes(value));
  return hash.digest();
}
