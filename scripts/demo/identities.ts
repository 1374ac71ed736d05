/**
 * The demo's regulator and alliance users (development only): identities
 * `demo-regulator` and `demo-alliance`, registered on the ledger through the
 * gateways (proposed by Qingdao, approved by Yantai and Weihai) with holder
 * keys generated once in `.data/demo-identities/` (never committed). Their
 * tokens are signed with those keys, as a real regulator's would be with its own.
 *
 * @packageDocumentation
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CityId } from '@jcc/domain';
import { ensureDevIdentity } from '../../gateway/src/auth/dev-identities.js';
import { mintDevToken } from '../../gateway/src/token.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the demo identities' private keys live. */
export const DEMO_IDENTITY_DIR = join(root, '.data', 'demo-identities');

/** A demo identity: its id and its holder's private key file. */
export interface DemoIdentity {
  id: string;
  keyFile: string;
}

/**
 * Registers (once) the demo identity of `role` at the gateways `urls` and
 * returns it; operator tokens for the registration are signed by each city's
 * gateway key (`storeDirs` names other store folders).
 */
export async function demoIdentity(
  role: 'regulator' | 'alliance',
  urls: Record<CityId, string>,
  storeDirs: Partial<Record<CityId, string>> = {},
): Promise<DemoIdentity> {
  const id = `demo-${role}`;
  const keyFile = join(DEMO_IDENTITY_DIR, `${id}.jwk`);
  await ensureDevIdentity({
    id,
    role,
    keyFile,
    urls,
    operatorToken: (city) => {
      const storeDir = storeDirs[city];
      return mintDevToken({ city, role: 'operator', ttlSeconds: 600, ...(storeDir ? { storeDir } : {}) });
    },
  });
  return { id, keyFile };
}

/** A token of the demo identity of `role`, registering it first if needed; accepted by `audience` (default all five). */
export async function demoIdentityToken(
  role: 'regulator' | 'alliance',
  urls: Record<CityId, string>,
  options: { audience?: CityId[] | 'all'; ttlSeconds?: number; storeDirs?: Partial<Record<CityId, string>> } = {},
): Promise<string> {
  const identity = await demoIdentity(role, urls, options.storeDirs);
  return mintDevToken({
    city: 'qingdao',
    role,
    identity: identity.id,
    keyFile: identity.keyFile,
    audience: options.audience ?? 'all',
    ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}),
  });
}
