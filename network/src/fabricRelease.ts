import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';
import { networkSettings } from './settings.js';

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
 * A Go release of Hyperledger that the project builds offline from its source archive
 * (with `vendor/`): Fabric itself, or Fabric CA.
 */
export interface SourceRelease {
  /** Human name, e.g. `Fabric CA`. */
  name: string;
  /** Release version, e.g. `1.5.21`. */
  version: string;
  /** Module path its `go.mod` declares. */
  module: string;
  /** The Makefile variable holding the version, and the value a genuine tree has there. */
  makefileVersion: { variable: string; value: string };
  /** Programs built from `./cmd/<tool>`. */
  tools: readonly string[];
  /** The `-X` linker flag that stamps the version into the programs (without `-X`). */
  ldflag: string;
  /** Folder of the tree copied to `config/` of the installation (Fabric's `sampleconfig`), if any. */
  configFolder?: string;
  /** Name of the installation folder in the machine cache, e.g. `fabric-v3.1.5`. */
  cacheName: string;
  /** Folder of {@link PROJECT_FABRIC_DIR} that an archive is unpacked into. */
  unpackFolder: string;
}

/** Fabric v3.1.5: peer, orderer and the channel tools. */
export const FABRIC_RELEASE: SourceRelease = {
  name: 'Fabric',
  version: FABRIC_VERSION,
  module: 'github.com/hyperledger/fabric',
  makefileVersion: { variable: 'FABRIC_VER', value: FABRIC_VERSION },
  tools: FABRIC_TOOLS,
  ldflag: `github.com/hyperledger/fabric/common/metadata.Version=${FABRIC_VERSION}`,
  configFolder: 'sampleconfig',
  cacheName: `fabric-v${FABRIC_VERSION}`,
  unpackFolder: 'src',
};

/** The Fabric CA release each city's certificate authority runs: v1.5.21. */
export const FABRIC_CA_VERSION = '1.5.21';
/** Fabric CA programs: the server (one per city) and the client that registers and enrols identities. */
export const FABRIC_CA_TOOLS = ['fabric-ca-server', 'fabric-ca-client'] as const;

/** Fabric CA v1.5.21 (cgo: its SQLite registry needs gcc). Its Makefile stamps `v1.5.21`, with the `v`. */
export const FABRIC_CA_RELEASE: SourceRelease = {
  name: 'Fabric CA',
  version: FABRIC_CA_VERSION,
  module: 'github.com/hyperledger/fabric-ca',
  makefileVersion: { variable: 'BASE_VERSION', value: `v${FABRIC_CA_VERSION}` },
  tools: FABRIC_CA_TOOLS,
  ldflag: `github.com/hyperledger/fabric-ca/lib/metadata.Version=v${FABRIC_CA_VERSION}`,
  cacheName: `fabric-ca-v${FABRIC_CA_VERSION}`,
  unpackFolder: 'src-fabric-ca',
};

/**
 * Machine-wide cache shared by every clone of the project on this machine
 * (`$XDG_CACHE_HOME/jiaodong-credit-chain/fabric-v3.1.5` for Fabric), laid out like
 * Fabric's release bundle (`bin/`, `config/`).
 */
export function machineCacheDir(release: SourceRelease = FABRIC_RELEASE): string {
  return join(networkSettings().cacheHome, 'jiaodong-credit-chain', release.cacheName);
}
