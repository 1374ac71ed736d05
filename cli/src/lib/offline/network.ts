import { isCityId, type CityId } from '@jcc/domain';
import { NetworkFileError, networkFilePath, readNetworkFile, type NetworkFile } from '@jcc/network/ledger';
import { CliError, ExitCode, usageError } from '../exit.js';

/** The network description, as read by the one ledger client (`@jcc/network/ledger`). */
export type NetworkDescription = NetworkFile;

/**
 * Where the network description is looked for when `--network` is not given:
 * `JCC_NETWORK_FILE`, else `network.json` in the runtime folder (`JCC_RUNTIME_DIR`, else `<repo>/.runtime`).
 */
export function defaultNetworkPath(env: NodeJS.ProcessEnv = process.env): string {
  return networkFilePath(env);
}

/**
 * Reads and checks the network description.
 *
 * @throws CliError: unavailable (3) when the file is missing — the network is not running — or malformed.
 */
export async function loadNetworkDescription(path: string): Promise<NetworkDescription> {
  try {
    return await readNetworkFile(path);
  } catch (err) {
    if (err instanceof NetworkFileError && err.reason === 'missing')
      throw new CliError(
        ExitCode.UNAVAILABLE,
        `no network description at ${path}: is the network running (npm start)? Or pass --network <file>`,
      );
    throw new CliError(ExitCode.UNAVAILABLE, err instanceof Error ? err.message : String(err));
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
