import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { networkFilePath as settingsNetworkFilePath, runtimeDir as settingsRuntimeDir } from './settings.js';

/** Absolute path of the repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where the running network keeps everything it generates (ignored by git):
 * crypto material, channel artefacts, ledgers, logs and pid files.
 * Override with `JCC_RUNTIME_DIR`.
 */
export const RUNTIME_DIR = runtimeDir();

/** {@link settingsRuntimeDir} of an environment (default: this process's) for this repository. */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env, root: string = REPO_ROOT): string {
  return settingsRuntimeDir(env, root);
}

/** {@link settingsNetworkFilePath} of an environment (default: this process's) for this repository. */
export function networkFilePath(env: NodeJS.ProcessEnv = process.env, root: string = REPO_ROOT): string {
  return settingsNetworkFilePath(env, root);
}

/** Folders inside {@link RUNTIME_DIR}. */
export const runtimePaths = {
  crypto: join(RUNTIME_DIR, 'crypto'),
  /** The `--hosts` mode's certificate authorities: one Fabric CA home per city (`ca/<city>`). */
  ca: join(RUNTIME_DIR, 'ca'),
  channel: join(RUNTIME_DIR, 'channel'),
  nodes: join(RUNTIME_DIR, 'nodes'),
  logs: join(RUNTIME_DIR, 'logs'),
  pids: join(RUNTIME_DIR, 'pids'),
  chaincode: join(RUNTIME_DIR, 'chaincode'),
  /** The description of the running network that gateways, CLI and tests read. */
  networkFile: join(RUNTIME_DIR, 'network.json'),
  /** What `network:up` last deployed (consensus, chaincode sequence and package). */
  stateFile: join(RUNTIME_DIR, 'state.json'),
} as const;

/** The external builder that lets peers run chaincode as a service. */
export const CCAAS_BUILDER_DIR = join(REPO_ROOT, 'network', 'builders', 'ccaas');

/** The chaincode workspace. */
export const CHAINCODE_DIR = join(REPO_ROOT, 'chaincode');

/** True when `path` exists (and, with `mode`, e.g. `constants.X_OK`, is accessible that way). */
export async function pathExists(path: string, mode?: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}
