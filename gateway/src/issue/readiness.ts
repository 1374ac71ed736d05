import { HttpProblem } from '../http/problem.js';
import type { Services } from '../services.js';

/**
 * Refuses to issue (503, `Retry-After: 2`) until this city's signing key is
 * registered on the ledger: a key is used only once the ledger holds it
 * (registration runs at start). Every issuing route asks this first.
 */
export function assertReadyToIssue(s: Pick<Services, 'readiness'>): void {
  if (s.readiness().keysRegistered) return;
  throw new HttpProblem(
    503,
    'keys-not-registered',
    'Not ready',
    "this city's signing key is not registered on the ledger yet; retry shortly",
    {},
    { 'Retry-After': '2' },
  );
}
