import type { CityId } from '@jcc/domain';

/**
 * Roles of bearer tokens: `operator` (the city's own credit-centre staff),
 * `regulator` (read and verify everywhere, audit), `alliance` (agency
 * registry look-ups), `gateway` (a peer city's gateway).
 */
export const ROLES = ['operator', 'regulator', 'alliance', 'gateway'] as const;
/** One of the {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** True when `value` is a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who made a request, from a verified token. */
export interface Principal {
  role: Role;
  /** The city whose gateway signed the token; `undefined` for a regulator or alliance identity's own token. */
  city: CityId | undefined;
  /** The registered identity (`identities`) that signed the token, for regulator and alliance tokens. */
  identity?: string;
  /** The token's subject (a person or system name; never a personal identifier). */
  subject: string;
  /** The token id (`jti`). */
  tokenId: string | undefined;
}

/** The token issuer (and audience) name of a city's gateway. */
export function gatewayName(city: CityId): string {
  return `jcc:gateway:${city}`;
}

/** The city named by a gateway issuer/audience string, or `undefined`. */
export function cityOfGatewayName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const match = /^jcc:gateway:([a-z]+)$/.exec(name);
  return match?.[1];
}

/** The token issuer name of a registered regulator or alliance identity. */
export function identityName(id: string): string {
  return `jcc:identity:${id}`;
}

/** The identity id named by an identity issuer string, or `undefined`. */
export function identityOfName(name: unknown): string | undefined {
  if (typeof name !== 'string' || !name.startsWith('jcc:identity:')) return undefined;
  return name.slice('jcc:identity:'.length);
}
