/**
 * Resident identity card number (居民身份证号码), GB 11643-1999: 17 digits and a
 * check character (0-9 or X) computed with ISO 7064 MOD 11-2.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits of an identity number. */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('an identity number body has 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (WEIGHTS[i] as number);
  return CHECK.charAt(sum % 11);
}

/** True when `value` is an 18-character identity number with a valid birth date and check character. */
export function isValidIdNumber(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{17}[\dX]$/.test(value)) return false;
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900) return false;
  return idNumberCheckCharacter(value.slice(0, 17)) === value.charAt(17);
}
