/**
 * Development and test identities (development only): a regulator or
 * alliance identity whose holder key is generated locally, kept in a file
 * (mode 0600, never committed), and registered on the ledger through the
 * gateways' identity routes: proposed by one city, approved by two more, so
 * {@link IDENTITY_QUORUM} cities vouch for it. A real regulator keeps its
 * own key; the cities only ever see its public JWK.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { createGatewayClient, GatewayProblemError, ok } from '@jcc/client';
import { CITY_IDS, IDENTITY_QUORUM, type CityId, type IdentityView } from '@jcc/domain';
import { backoffDelay } from '../lib/backoff.js';
import { sleep } from '../lib/time.js';

/** A holder's key file: the private JWK. */
export async function readHolderKey(
  file: string,
): Promise<{ privateKey: Awaited<ReturnType<typeof importJWK>>; alg: 'EdDSA' | 'ES256'; jwk: JWK }> {
  const jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  if (typeof jwk.d !== 'string') throw new Error(`${file} holds no private key (JWK member d)`);
  const alg = jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : undefined;
  if (!alg) throw new Error(`${file}: only Ed25519 (OKP) and P-256 (EC) keys sign tokens`);
  return { privateKey: await importJWK(jwk, alg), alg, jwk };
}

/** The key file of `file`, generated (Ed25519, mode 0600) if absent; returns the public JWK. */
export async function ensureHolderKey(file: string): Promise<JWK> {
  try {
    const { jwk } = await readHolderKey(file);
    const { d: _d, ...pub } = jwk;
    return pub;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(await exportJWK(privateKey)) + '\n', { mode: 0o600 });
  return exportJWK(publicKey);
}

/** What {@link ensureDevIdentity} needs. */
export interface DevIdentityOptions {
  id: string;
  role: 'regulator' | 'alliance';
  /** The holder's private key file (generated if absent). */
  keyFile: string;
  /** Base URLs of the five gateways. */
  urls: Record<CityId, string>;
  /** An operator token of a city's gateway. */
  operatorToken(city: CityId): Promise<string>;
  /** Validity (default: from an hour ago for a year). */
  validFrom?: string;
  validTo?: string;
  /**
   * How long to keep retrying while a gateway answers 503 (its peer not
   * reachable yet, e.g. right after the network came up); default 120 s.
   */
  retryForMs?: number;
}

/**
 * Makes the identity active on the ledger with the key in `keyFile`: proposes
 * it at the first city's gateway and approves it at the next ones until the
 * quorum vouches. Idempotent: an active identity with this key is left as it is.
 *
 * Retries from the start while a gateway answers 503 (for `retryForMs`).
 *
 * @throws GatewayProblemError when a gateway refuses (e.g. a proposal or an approval), Error when the id is registered with another key.
 */
export async function ensureDevIdentity(options: DevIdentityOptions): Promise<IdentityView> {
  const deadline = Date.now() + (options.retryForMs ?? 120_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureDevIdentityOnce(options);
    } catch (err) {
      // Every step reads the ledger first, so starting over after a passing failure repeats nothing.
      if (!(err instanceof GatewayProblemError && err.status === 503) || Date.now() >= deadline) throw err;
      await sleep(backoffDelay(attempt, { initialMs: 500, maxMs: 5_000 }));
    }
  }
}

async function ensureDevIdentityOnce(options: DevIdentityOptions): Promise<IdentityView> {
  const jwk = await ensureHolderKey(options.keyFile);
  const first = CITY_IDS[0] as CityId;
  const path = { params: { path: { id: options.id } } };
  const at = (city: CityId, token?: string) => createGatewayClient({ baseUrl: options.urls[city], token });
  const current = await at(first)
    .GET('/api/v1/identities/{id}', path)
    .catch((err: unknown) => {
      if (err instanceof GatewayProblemError && err.status === 404) return undefined;
      throw err;
    });
  if (current?.data && current.data.jwk.x !== jwk.x)
    throw new Error(`identity ${options.id} is registered with another key than ${options.keyFile}; use another id or the original key`);
  if (current?.data?.active) return current.data as IdentityView;
  if (!current) {
    const hour = 3600_000;
    await ok(
      at(first, await options.operatorToken(first)).POST('/api/v1/identities', {
        body: {
          id: options.id,
          role: options.role,
          jwk: { ...jwk, kid: options.id } as never,
          validFrom: options.validFrom ?? new Date(Date.now() - hour).toISOString(),
          validTo: options.validTo ?? new Date(Date.now() + 365 * 24 * hour).toISOString(),
        },
      }),
    );
  }
  let view: IdentityView | undefined;
  for (const city of CITY_IDS.slice(1, IDENTITY_QUORUM))
    view = (await ok(at(city, await options.operatorToken(city)).POST('/api/v1/identities/{id}/approval', path))) as IdentityView;
  if (!view?.active) throw new Error(`identity ${options.id} is not active after ${IDENTITY_QUORUM} approvals`);
  return view;
}
