import { cityById, type CityId } from '@jcc/domain';
import { ForbiddenError } from './errors.js';
import type { Principal, Role } from './roles.js';

/**
 * Decides whether a principal may use an endpoint open to `roles` on the
 * gateway of city `me`:
 * - the role must be one of `roles`;
 * - an `operator` token is accepted only by its own city's gateway;
 * - a `gateway` token is accepted only from another city's gateway.
 *
 * @throws ForbiddenError saying why not.
 */
export function authorize(principal: Principal, me: CityId, roles: readonly Role[]): void {
  if (!roles.includes(principal.role))
    throw new ForbiddenError(`this endpoint is open to ${roles.join(', ')}; the token's role is ${principal.role}`);
  if (principal.role === 'operator' && principal.city !== me) {
    const of = principal.city ? cityById(principal.city).name : 'no city';
    throw new ForbiddenError(`an operator of ${of} may not act at the gateway of ${cityById(me).name}`);
  }
  if (principal.role === 'gateway' && principal.city === me) throw new ForbiddenError('a gateway token must come from another city');
}
