/**
 * Synthetic unified social credit codes (统一社会信用代码, GB 32100-2015) for the
 * demo: registration authority `9` (市场监管/工商), kind `1` (enterprise), the
 * city's administrative division code, a nine-character organisation code,
 * and the check character computed by `usccCheckCharacter` of `@jcc/domain`.
 *
 * @packageDocumentation
 */
import { usccCheckCharacter, usccProblem } from '@jcc/domain';

/**
 * The USCC of an enterprise registered in the division `divisionCode` with the
 * organisation code `orgCode` (nine characters of the USCC alphabet).
 *
 * @throws Error when the result is not a valid USCC (a wrong division or organisation code).
 */
export function syntheticUscc(divisionCode: string, orgCode: string): string {
  const body = `91${divisionCode}${orgCode}`;
  const uscc = body + usccCheckCharacter(body);
  const problem = usccProblem(uscc);
  if (problem) throw new Error(`demo USCC ${uscc}: ${problem}`);
  return uscc;
}
