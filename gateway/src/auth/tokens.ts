import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWTPayload } from 'jose';
import { instantMillis, isCityId, RECORD_ID_PATTERN, type CityId, type IdentityView } from '@jcc/domain';
import type { KeyRecord } from '../fabric/records.js';
import type { SigningKey } from '../keys/keystore.js';
import { UnauthenticatedError } from './errors.js';
import { cityOfGatewayName, gatewayName, identityName, identityOfName, isRole, type Principal, type Role } from './roles.js';

/** What goes into a token. */
export interface MintOptions {
  /** The gateway key of the city whose gateway signs the token. */
  key: SigningKey;
  /** That city. */
  city: CityId;
  role: Role;
  /** Gateways that accept the token (default: the signing city's). */
  audience?: CityId[];
  /** Subject name (default `<role>@<city>`). */
  subject?: string;
  /** Lifetime in seconds. */
  ttlSeconds: number;
  /** Now, epoch ms (default `Date.now()`). */
  now?: number;
}

/**
 * Mints a bearer token (JWT, EdDSA) signed with a city's gateway key:
 * `{iss: "jcc:gateway:<city>", sub, aud: ["jcc:gateway:<city>", ...], city, role, iat, exp, jti}`,
 * header `{alg: "EdDSA", kid, typ: "JWT"}`.
 */
export async function mintToken(options: MintOptions): Promise<string> {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const audience = (options.audience ?? [options.city]).map(gatewayName);
  return new SignJWT({ city: options.city, role: options.role })
    .setProtectedHeader({ alg: 'EdDSA', kid: options.key.kid, typ: 'JWT' })
    .setIssuer(gatewayName(options.city))
    .setSubject(options.subject ?? `${options.role}@${options.city}`)
    .setAudience(audience.length === 1 ? (audience[0] as string) : audience)
    .setIssuedAt(now)
    .setExpirationTime(now + options.ttlSeconds)
    .setJti(randomUUID())
    .sign(options.key.privateKey);
}

/** What goes into a token of a registered regulator or alliance identity. */
export interface IdentityMintOptions {
  /** The identity id on the ledger (`identities`), also the token's `kid` and `sub`. */
  id: string;
  role: 'regulator' | 'alliance';
  /** The holder's private key (the one whose public JWK is registered). */
  privateKey: Parameters<SignJWT['sign']>[0];
  /** `EdDSA` for an Ed25519 key, `ES256` for a P-256 key (default EdDSA). */
  alg?: 'EdDSA' | 'ES256';
  /** Gateways that accept the token. */
  audience: CityId[];
  /** Lifetime in seconds. */
  ttlSeconds: number;
  /** Now, epoch ms (default `Date.now()`). */
  now?: number;
}

/**
 * Mints the bearer token of a registered identity, signed by the holder's own key:
 * `{iss: "jcc:identity:<id>", sub: <id>, aud: [...], role, iat, exp, jti}`, header `{alg, kid: <id>, typ: "JWT"}`.
 */
export async function mintIdentityToken(options: IdentityMintOptions): Promise<string> {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const audience = options.audience.map(gatewayName);
  return new SignJWT({ role: options.role })
    .setProtectedHeader({ alg: options.alg ?? 'EdDSA', kid: options.id, typ: 'JWT' })
    .setIssuer(identityName(options.id))
    .setSubject(options.id)
    .setAudience(audience.length === 1 ? (audience[0] as string) : audience)
    .setIssuedAt(now)
    .setExpirationTime(now + options.ttlSeconds)
    .setJti(randomUUID())
    .sign(options.privateKey);
}

/** Finds the public key of a token: this gateway's own keys, a city key registered on the ledger, or a registered identity. */
export interface TokenKeys {
  /** A gateway key of this city held locally, or `undefined`. */
  own(kid: string): SigningKey | undefined;
  /** A key registered on the ledger, or `undefined`. */
  registered(city: CityId, kid: string): Promise<KeyRecord | undefined>;
  /** A regulator or alliance identity as this gateway's peer returns it, or `undefined`. */
  identity(id: string): Promise<IdentityView | undefined>;
}

/** Roles a city gateway's key may sign; `regulator` and `alliance` tokens must come from a registered identity. */
const GATEWAY_SIGNED_ROLES: readonly Role[] = ['operator', 'gateway'];

const TOKEN_ALGORITHMS = ['EdDSA', 'ES256'];
/** Most tokens remembered as checked (see `TokenVerifier`). */
const MAX_VERIFIED_TOKENS = 10_000;

/** Limits of {@link TokenVerifier}. */
export interface TokenLimits {
  /** Longest lifetime (`exp - iat`) accepted, in seconds (default 24 h). */
  maxLifetimeSeconds?: number;
  /** Clock skew tolerated for `iat`, `nbf` and `exp`, in seconds (default 30). */
  clockSkewSeconds?: number;
  /** How long a kid the ledger does not know is refused without asking again, in ms (default 60 s). */
  unknownKidTtlMs?: number;
  /** Most unknown kids remembered (default 1000; the oldest are forgotten first). */
  maxUnknownKids?: number;
}

/** Default longest token lifetime: a working day with margin. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/**
 * A bounded set of recently refused keys (`city/kid`) with a time to live,
 * so a stream of tokens naming made-up kids costs one ledger query per kid
 * and minute at most, and memory bounded by `max`.
 */
export class NegativeCache {
  readonly #entries = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #clock: () => number;

  constructor(ttlMs: number, max: number, clock: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#max = max;
    this.#clock = clock;
  }

  /** True when `key` was refused less than the TTL ago. */
  has(key: string): boolean {
    const until = this.#entries.get(key);
    if (until === undefined) return false;
    if (until > this.#clock()) return true;
    this.#entries.delete(key);
    return false;
  }

  /** Remembers a refusal of `key`. */
  add(key: string): void {
    this.#entries.delete(key);
    this.#entries.set(key, this.#clock() + this.#ttlMs);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }
}

/**
 * Checks bearer tokens for one city's gateway. A token must be a JWS with
 * alg EdDSA or ES256 (never `none`), name a `kid`, be signed by the gateway
 * key of the city in its `iss` — this gateway's own key, or a key that city
 * registered on the ledger for `gateway` use, unrevoked and valid now — and
 * name this gateway in `aud`; `exp` and `iat` are required, `iat` may not
 * lie in the future beyond the clock skew, and `exp - iat` may not exceed
 * the lifetime cap. A kid must look like a record id (else 401 without a
 * ledger query); a kid the ledger does not know is remembered for a while
 * ({@link NegativeCache}), so repeating it costs no further query.
 */
export class TokenVerifier {
  readonly #city: CityId;
  readonly #keys: TokenKeys;
  readonly #clock: () => number;
  /** Imported public keys, by city, kid, algorithm and key: importing costs more than verifying. */
  readonly #imported = new Map<string, Awaited<ReturnType<typeof importJWK>>>();
  /**
   * Tokens whose signature and fixed claims were checked, by key and token text: a client
   * sending the same token again costs no signature check. Only what cannot change is
   * remembered; the key's standing (registered, unrevoked) is looked up on every request
   * and the time claims are compared with the clock again.
   */
  readonly #verified = new Map<string, JWTPayload>();
  readonly #maxLifetimeSeconds: number;
  readonly #skewSeconds: number;
  readonly #unknownKids: NegativeCache;

  constructor(city: CityId, keys: TokenKeys, clock: () => number = Date.now, limits: TokenLimits = {}) {
    this.#city = city;
    this.#keys = keys;
    this.#clock = clock;
    this.#maxLifetimeSeconds = limits.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
    this.#skewSeconds = limits.clockSkewSeconds ?? 30;
    this.#unknownKids = new NegativeCache(limits.unknownKidTtlMs ?? 60_000, limits.maxUnknownKids ?? 1000, clock);
  }

  /** The principal of a valid token; throws {@link UnauthenticatedError} saying why a token is refused. */
  async verify(token: string): Promise<Principal> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      claims = decodeJwt(token);
    } catch {
      throw new UnauthenticatedError('the bearer token is not a JWT');
    }
    if (typeof header.alg !== 'string' || !TOKEN_ALGORITHMS.includes(header.alg))
      throw new UnauthenticatedError(`token alg "${String(header.alg)}" is not accepted`);
    if (typeof header.kid !== 'string' || header.kid === '') throw new UnauthenticatedError('the token names no kid');
    if (!RECORD_ID_PATTERN.test(header.kid)) throw new UnauthenticatedError('the token kid is malformed');
    const identityId = identityOfName(claims.iss);
    if (identityId !== undefined) return this.#verifyIdentityToken(token, header.alg, header.kid, identityId, claims);
    const issuerCity = cityOfGatewayName(claims.iss);
    if (!isCityId(issuerCity)) throw new UnauthenticatedError('the token issuer is not one of the five city gateways');
    this.#checkLifetime(claims);
    const jwk = await this.#publicKey(issuerCity, header.kid);
    const verified = await this.#verifyJwt(token, header.alg, `${issuerCity}/${header.kid}`, jwk, { issuer: gatewayName(issuerCity) });
    if (!isRole(verified.role)) throw new UnauthenticatedError('the token has no valid role');
    if (!GATEWAY_SIGNED_ROLES.includes(verified.role))
      throw new UnauthenticatedError(
        `a city gateway cannot issue a ${verified.role} token: it must be signed by an identity registered on the ledger`,
      );
    if (verified.city !== issuerCity) throw new UnauthenticatedError('the token city differs from its issuer');
    return {
      role: verified.role,
      city: issuerCity,
      subject: String(verified.sub),
      tokenId: typeof verified.jti === 'string' ? verified.jti : undefined,
    };
  }

  /**
   * A token of a regulator or alliance identity: `kid` and `sub` name the
   * identity, which this gateway's peer must return as active (approved by the
   * quorum of cities, revoked by none), with the token's role and valid now;
   * the token must be signed by the identity's registered key.
   */
  async #verifyIdentityToken(token: string, alg: string, kid: string, id: string, claims: JWTPayload): Promise<Principal> {
    if (kid !== id) throw new UnauthenticatedError('the token kid differs from its identity issuer');
    this.#checkLifetime(claims);
    const cacheKey = `identity/${id}`;
    if (this.#unknownKids.has(cacheKey)) throw new UnauthenticatedError(`no identity "${id}" is registered on the ledger`);
    const identity = await this.#keys.identity(id);
    if (!identity) {
      this.#unknownKids.add(cacheKey);
      throw new UnauthenticatedError(`no identity "${id}" is registered on the ledger`);
    }
    if (identity.revocations.length > 0) throw new UnauthenticatedError(`identity "${id}" was revoked`);
    if (!identity.active)
      throw new UnauthenticatedError(`identity "${id}" is not active (${identity.approvals.length} of ${identity.quorum} approvals)`);
    const now = this.#clock();
    if (instantMillis(identity.validFrom) > now || instantMillis(identity.validTo) < now)
      throw new UnauthenticatedError(`identity "${id}" is not valid now`);
    const verified = await this.#verifyJwt(token, alg, `identity/${id}`, identity.jwk as Record<string, unknown>, {
      issuer: identityName(id),
      subject: id,
    });
    if (verified.role !== identity.role)
      throw new UnauthenticatedError(`the token's role ${String(verified.role)} is not the role registered for "${id}" (${identity.role})`);
    return {
      role: identity.role,
      city: undefined,
      identity: id,
      subject: id,
      tokenId: typeof verified.jti === 'string' ? verified.jti : undefined,
    };
  }

  /**
   * Checks a token's signature and registered claims under a public JWK (imported once per
   * key and algorithm): audience this gateway, `exp`/`iat`/`sub` present, the clock skew.
   */
  async #verifyJwt(
    token: string,
    alg: string,
    keyName: string,
    jwk: Record<string, unknown>,
    expect: { issuer: string; subject?: string },
  ): Promise<JWTPayload> {
    const { kid: _kid, alg: _alg, use: _use, ...material } = jwk;
    const cacheKey = `${keyName}/${alg}/${String(material.x)}`;
    const seenKey = `${cacheKey}|${token}`;
    const seen = this.#verified.get(seenKey);
    if (seen) {
      const now = this.#clock() / 1000;
      const expOk = typeof seen.exp === 'number' && seen.exp > now - this.#skewSeconds;
      const nbfOk = typeof seen.nbf !== 'number' || seen.nbf <= now + this.#skewSeconds;
      if (expOk && nbfOk) return seen;
      this.#verified.delete(seenKey);
    }
    try {
      let key = this.#imported.get(cacheKey);
      if (!key) {
        key = await importJWK(material, alg);
        this.#imported.set(cacheKey, key);
      }
      const { payload } = await jwtVerify(token, key, {
        algorithms: [alg],
        issuer: expect.issuer,
        ...(expect.subject ? { subject: expect.subject } : {}),
        audience: gatewayName(this.#city),
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: this.#skewSeconds,
        currentDate: new Date(this.#clock()),
      });
      this.#verified.set(seenKey, payload);
      if (this.#verified.size > MAX_VERIFIED_TOKENS) this.#verified.delete(this.#verified.keys().next().value as string);
      return payload;
    } catch (err) {
      throw new UnauthenticatedError(`the token is not valid here: ${(err as Error).message}`);
    }
  }

  /** Refuses a token without `exp`/`iat`, issued in the future, or living longer than the cap. */
  #checkLifetime(claims: JWTPayload): void {
    const { iat, exp } = claims;
    if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new UnauthenticatedError('the token has no exp');
    if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new UnauthenticatedError('the token has no iat');
    const now = this.#clock() / 1000;
    if (iat > now + this.#skewSeconds) throw new UnauthenticatedError('the token was issued in the future (iat)');
    if (exp - iat > this.#maxLifetimeSeconds)
      throw new UnauthenticatedError(`the token lives longer (${exp - iat} s) than the ${this.#maxLifetimeSeconds} s accepted`);
  }

  async #publicKey(city: CityId, kid: string): Promise<Record<string, unknown>> {
    if (city === this.#city) {
      const own = this.#keys.own(kid);
      if (own) {
        if (own.use !== 'gateway') throw new UnauthenticatedError(`key "${kid}" is not a gateway key`);
        return { ...own.publicJwk };
      }
    }
    const cacheKey = `${city}/${kid}`;
    if (this.#unknownKids.has(cacheKey)) throw new UnauthenticatedError(`${city} has registered no key "${kid}" on the ledger`);
    let record: KeyRecord | undefined;
    try {
      record = await this.#keys.registered(city, kid);
    } catch (err) {
      // The ledger refused the look-up (e.g. an input it does not accept): the token is not usable.
      if ((err as Error).name === 'LedgerRefusedError') record = undefined;
      else throw err;
    }
    if (!record) {
      this.#unknownKids.add(cacheKey);
      throw new UnauthenticatedError(`${city} has registered no key "${kid}" on the ledger`);
    }
    if (record.use !== 'gateway') throw new UnauthenticatedError(`key "${kid}" is not registered for gateway use`);
    const now = new Date(this.#clock()).toISOString();
    if (record.revokedAt && record.revokedAt <= now) throw new UnauthenticatedError(`key "${kid}" was revoked at ${record.revokedAt}`);
    if (record.validFrom > now || (record.validTo && record.validTo < now)) throw new UnauthenticatedError(`key "${kid}" is not valid now`);
    const { kid: _k, alg: _a, use: _u, ...material } = record.jwk as Record<string, unknown>;
    return material;
  }
}
