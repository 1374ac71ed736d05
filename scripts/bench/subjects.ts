/**
 * Subjects of the benchmark's documents and evaluations: valid USCCs
 * (统一社会信用代码, check character computed) that differ between runs, so a
 * run writes new records rather than finding earlier ones unchanged.
 */
import { randomInt } from 'node:crypto';
import { cityById, usccCheckCharacter, type CityId } from '@jcc/domain';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function base31(value: number, width: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < width; i++) {
    out = ALPHABET.charAt(v % 31) + out;
    v = Math.floor(v / 31);
  }
  return out;
}

/** This run's tag: three USCC characters, random per run. */
export const RUN_TAG = base31(randomInt(31 ** 3), 3);

/**
 * The `index`-th enterprise of this run in `city`: registration authority 9
 * (market regulation), type 1 (enterprise), the city's division code, an
 * organisation code made of the run tag and the index, and the check character.
 */
export function enterpriseUscc(city: CityId, index: number): string {
  const body = `91${cityById(city).divisionCode}${RUN_TAG}${base31(index, 6)}`;
  return body + usccCheckCharacter(body);
}
