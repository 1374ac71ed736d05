import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';

/** The Fabric release the network runs: v3.1.5. */
export const FABRIC_VERSION = '3.1.5';
/** The v3.1.5 release commit, which `go install` is pinned to. */
export const FABRIC_COMMIT = '86c1172bec37e6590c6b1ae6f847833df48d65fc';
/** How the Go module proxy names that commit (the module path has no /v3 suffix). */
export const FABRIC_PSEUDO_VERSION = 'v1.4.0-rc1.0.20260618074816-86c1172bec37';
/** Fabric programs the network needs. */
export const FABRIC_TOOLS = ['peer', 'orderer', 'configtxgen', 'osnadmin', 'cryptogen'] as const;

/** Project-local Fabric folder (ignored by git): `go install` output and unpacked source archives. */
export const PROJECT_FABRIC_DIR = join(REPO_ROOT, '.fabric');

/**
 * Machine-wide cache shared by every clone of the project on this machine
 * (`$XDG_CACHE_HOME/jiaodong-credit-chain/fabric-v3.1.5`), laid out like
 * Fabric's release bundle (`bin/`, `config/`).
 */
export function machineCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'jiaodong-credit-chain', `fabric-v${FABRIC_VERSION}`);
}
