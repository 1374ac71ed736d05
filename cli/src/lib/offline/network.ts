import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCityId, type CityId } from '@jcc/domain';
import { CliError, ExitCode, usageError } from '../exit.js';

/** A certificate and private key of one Fabric user. */
export interface UserFiles {
  certPath: string;
  keyPath: string;
}

/** One city's entry of the network description. */
export interface CityConnection {
  mspId: string;
  peer: { endpoint: string; hostAlias: string; tlsRootCertPath: string };
  users: { admin?: UserFiles; app?: UserFiles };
}

/**
 * The description of the running Fabric network that `npm start` writes to
 * `.runtime/network.json`: channel, chaincode and, per city, its peer and users.
 */
export interface NetworkDescription {
  channel: string;
  chaincode: string;
  cities: Partial<Record<CityId, CityConnection>>;
}

/** The repository root (the parent of the cli package). */
export function repositoryRoot(): string {
  // this file is cli/src/lib/offline/network.ts or cli/dist/lib/offline/network.js
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
}

/** Where the network description is looked for: `--network`, else `JCC_NETWORK_FILE`, else `<repo>/.runtime/network.json`. */
export function defaultNetworkPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.JCC_NETWORK_FILE || join(repositoryRoot(), '.runtime', 'network.json');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the shape of a parsed network description.
 *
 * @throws Error naming the first field that is missing or wrong.
 */
export function parseNetworkDescription(value: unknown): NetworkDescription {
  if (!isObject(value)) throw new Error('the network description is not a JSON object');
  if (typeof value.channel !== 'string' || value.channel === '') throw new Error('"channel" is missing');
  if (typeof value.chaincode !== 'string' || value.chaincode === '') throw new Error('"chaincode" is missing');
  if (!isObject(value.cities)) throw new Error('"cities" is missing');
  const cities: NetworkDescription['cities'] = {};
  for (const [id, entry] of Object.entries(value.cities)) {
    if (!isCityId(id)) throw new Error(`"cities.${id}" is not one of the five cities`);
    if (!isObject(entry) || typeof entry.mspId !== 'string') throw new Error(`"cities.${id}.mspId" is missing`);
    const peer = entry.peer;
    if (!isObject(peer) || typeof peer.endpoint !== 'string' || typeof peer.tlsRootCertPath !== 'string') {
      throw new Error(`"cities.${id}.peer" needs endpoint and tlsRootCertPath`);
    }
    const users = isObject(entry.users) ? entry.users : {};
    const user = (name: string): UserFiles | undefined => {
      const u = users[name];
      return isObject(u) && typeof u.certPath === 'string' && typeof u.keyPath === 'string'
        ? { certPath: u.certPath, keyPath: u.keyPath }
        : undefined;
    };
    const app = user('app');
    const admin = user('admin');
    if (!app && !admin) throw new Error(`"cities.${id}.users" has neither an app nor an admin user with certPath and keyPath`);
    cities[id] = {
      mspId: entry.mspId,
      peer: {
        endpoint: peer.endpoint,
        hostAlias: typeof peer.hostAlias === 'string' ? peer.hostAlias : '',
        tlsRootCertPath: peer.tlsRootCertPath,
      },
      users: { ...(app ? { app } : {}), ...(admin ? { admin } : {}) },
    };
  }
  if (Object.keys(cities).length === 0) throw new Error('"cities" is empty');
  return { channel: value.channel, chaincode: value.chaincode, cities };
}

/**
 * Resolves a path written in the network description: absolute as is;
 * relative against the description's folder, else against the folder above
 * it (the repository root when the file is `.runtime/network.json`).
 */
export function resolveNetworkPath(networkFile: string, path: string): string {
  if (isAbsolute(path)) return path;
  const here = resolve(dirname(networkFile), path);
  if (existsSync(here)) return here;
  const above = resolve(dirname(networkFile), '..', path);
  return existsSync(above) ? above : here;
}

/**
 * Reads and checks the network description.
 *
 * @throws CliError: unavailable (3) when the file is missing — the network is not running — or malformed.
 */
export async function loadNetworkDescription(path: string): Promise<NetworkDescription> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliError(
      ExitCode.UNAVAILABLE,
      `no network description at ${path}: is the network running (npm start)? Or pass --network <file>`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError(ExitCode.UNAVAILABLE, `${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parseNetworkDescription(value);
  } catch (err) {
    throw new CliError(ExitCode.UNAVAILABLE, `${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The order in which to try cities for a ledger query: the preferred one
 * first, then the others of the description.
 *
 * @throws CliError (usage) when the preferred city is not one of the five or not in the description.
 */
export function cityOrder(network: NetworkDescription, preferred?: string): CityId[] {
  const available = Object.keys(network.cities) as CityId[];
  if (preferred === undefined) return available;
  if (!isCityId(preferred)) throw usageError(`--as: unknown city "${preferred}" (qingdao, yantai, weihai, weifang or rizhao)`);
  if (!available.includes(preferred)) throw usageError(`--as: the network description has no entry for ${preferred}`);
  return [preferred, ...available.filter((c) => c !== preferred)];
}
