import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Everything the network package reads from the environment, in one place.
 * Each setting is read when asked for (so a test or a script may change the
 * environment between calls); no other module of the package reads
 * `process.env` for its own configuration (child processes may still inherit it).
 */
export interface NetworkSettings {
  /** `FABRIC_BIN`: a folder holding Fabric's programs, chosen explicitly. */
  fabricBin: string | undefined;
  /** `FABRIC_CFG_DIR`: Fabric's sample configuration, when not `../config` beside `fabricBin`. */
  fabricCfgDir: string | undefined;
  /** `FABRIC_SOURCE`: a Fabric v3.1.5 source archive or tree to build from, offline. */
  fabricSource: string | undefined;
  /** `FABRIC_CA_BIN`: a folder holding `fabric-ca-server` and `fabric-ca-client`. */
  fabricCaBin: string | undefined;
  /** `FABRIC_CA_SOURCE`: a Fabric CA v1.5.21 source archive or tree to build from. */
  fabricCaSource: string | undefined;
  /** The machine-wide cache root: `XDG_CACHE_HOME`, else `~/.cache`. */
  cacheHome: string;
  /** `CGO_ENABLED` for source builds (default `1`: Fabric CA needs cgo). */
  cgoEnabled: string;
  /** `JCC_FABRIC_LOGGING`: `FABRIC_LOGGING_SPEC` of peers and ordering nodes (default `INFO`). */
  fabricLogging: string;
  /** `JCC_CHAINCODE_LOGGING`: the chaincode servers' log level (default `warning`). */
  chaincodeLogging: string;
  /**
   * `JCC_FABRIC_PROFILE=1`: peers serve Go's pprof on their address at the operations port + 1000
   * (a diagnostic for benchmarks; off by default).
   */
  fabricProfile: boolean;
}

/** A non-empty value of `name`, resolved to an absolute path. */
function pathIn(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value ? resolve(value) : undefined;
}

/** The network package's settings from an environment (default: this process's). */
export function networkSettings(env: NodeJS.ProcessEnv = process.env): NetworkSettings {
  return {
    fabricBin: pathIn(env, 'FABRIC_BIN'),
    fabricCfgDir: pathIn(env, 'FABRIC_CFG_DIR'),
    fabricSource: env.FABRIC_SOURCE || undefined,
    fabricCaBin: pathIn(env, 'FABRIC_CA_BIN'),
    fabricCaSource: env.FABRIC_CA_SOURCE || undefined,
    cacheHome: env.XDG_CACHE_HOME || join(homedir(), '.cache'),
    cgoEnabled: env.CGO_ENABLED ?? '1',
    fabricLogging: env.JCC_FABRIC_LOGGING || 'INFO',
    chaincodeLogging: env.JCC_CHAINCODE_LOGGING || 'warning',
    fabricProfile: env.JCC_FABRIC_PROFILE === '1',
  };
}

/**
 * The runtime folder for an environment: `JCC_RUNTIME_DIR` when set,
 * otherwise `<root>/.runtime`. Every part of the project that looks for
 * what the network generated (the network description, pid files, logs)
 * finds it through this function.
 */
export function runtimeDir(env: NodeJS.ProcessEnv, root: string): string {
  return env.JCC_RUNTIME_DIR ? resolve(env.JCC_RUNTIME_DIR) : join(root, '.runtime');
}

/**
 * Where the network description is read from: `JCC_NETWORK_FILE` when set,
 * otherwise `network.json` in {@link runtimeDir}.
 */
export function networkFilePath(env: NodeJS.ProcessEnv, root: string): string {
  return env.JCC_NETWORK_FILE ? resolve(env.JCC_NETWORK_FILE) : join(runtimeDir(env, root), 'network.json');
}
