/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015: 18 characters
 * from a 31-character alphabet (digits and upper-case letters without I, O,
 * S, V, Z). The last character is a check character computed with the weights
 * 3^i mod 31 over the first 17.
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * The check character for the first 17 characters of a USCC.
 *
 * @throws RangeError when `first17` is not 17 characters of the USCC alphabet.
 */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('a USCC body has 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) throw new RangeError(`character ${first17.charAt(i)} is not allowed in a USCC`);
    sum += value * (WEIGHTS[i] as number);
  }
  const check = (31 - (sum % 31)) % 31;
  return ALPHABET.charAt(check);
}

/** Why a string is not a valid USCC, or `undefined` when it is valid. */
export function usccProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'a USCC is a string';
  if (value.length !== 18) return 'a USCC has 18 characters';
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value)) return 'a USCC uses digits and upper-case letters other than I, O, S, V, Z';
  if (!/^[1-9AY]/.test(value)) return 'the registration authority code (first character) is not valid';
  if (!/^..\d{6}/.test(value)) return 'characters 3-8 are the administrative division code (six digits)';
  if (usccCheckCharacter(value.slice(0, 17)) !== value.charAt(17)) return 'the check character (18th) does not match';
  return undefined;
}

/** True when `value` is a well-formed USCC with a correct check character. */
export function isValidUscc(value: unknown): value is string {
  return usccProblem(value) === undefined;
}
