/**
 * The operator's session: the bearer token pasted at sign-in, what its
 * claims say (city, role, subject, expiry), kept in sessionStorage so a
 * reload keeps it and closing the tab forgets it. The gateway checks the
 * token on every call; the claims here only shape the page.
 */
import type { CityId } from '../../../domain/src/cities.js';

/** A signed-in operator. */
export interface Session {
  token: string;
  city: CityId;
  role: string;
  subject: string;
  /** Expiry, ms since the epoch (undefined when the token has none). */
  expiresAt: number | undefined;
}

const STORAGE_KEY = 'jcc.console.token';

/** Why a token cannot start a session. */
export type TokenProblem =
  { kind: 'malformed' } | { kind: 'expired' } | { kind: 'role'; role: string } | { kind: 'city'; tokenCity: string };

function base64UrlJson(part: string): Record<string, unknown> {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
  const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof value !== 'object' || value === null) throw new Error('not an object');
  return value as Record<string, unknown>;
}

/** Reads a token's claims and checks it can sign in at `city`'s console. */
export function sessionFromToken(token: string, city: CityId, now = Date.now()): Session | TokenProblem {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return { kind: 'malformed' };
  let claims: Record<string, unknown>;
  try {
    claims = base64UrlJson(parts[1] ?? '');
  } catch {
    return { kind: 'malformed' };
  }
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  if (exp !== undefined && exp <= now) return { kind: 'expired' };
  const role = typeof claims.role === 'string' ? claims.role : '';
  if (role !== 'operator') return { kind: 'role', role: role || '?' };
  const tokenCity = typeof claims.city === 'string' ? claims.city : '?';
  if (tokenCity !== city) return { kind: 'city', tokenCity };
  return { token: token.trim(), city, role, subject: typeof claims.sub === 'string' ? claims.sub : '', expiresAt: exp };
}

/** Keeps the token for this tab. */
export function saveToken(token: string | undefined): void {
  try {
    if (token) window.sessionStorage.setItem(STORAGE_KEY, token);
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage unavailable: the session lasts until reload
  }
}

/** The token kept for this tab, if any. */
export function savedToken(): string | undefined {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
