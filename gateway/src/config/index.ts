export {
  ConfigError,
  VERIFY_SOURCES,
  configFromEnv,
  defaultConfig,
  gatewayConfigSchema,
  loadConfig,
  mergeDeep,
  parsePeers,
} from './config.js';
export type { DeepPartial, GatewayConfig, LoadConfigOptions, VerifySource } from './config.js';
export { NetworkFileError, cityConnection, networkFileSchema, readNetworkFile } from './network-file.js';
export type { CityConnection, NetworkFile } from './network-file.js';
export { MIN_SECRET_LENGTH, SecretError, loadConsortiumSecret } from './secret.js';
export { gatewayPackageDir, repoRoot } from './paths.js';
