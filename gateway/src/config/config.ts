import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CITY_IDS, MAX_CHUNK_EVALUATIONS, SM2_DEFAULT_ID, SM2_MAX_ID_LENGTH, cityById, isLogOf, type CityId } from '@jcc/domain';
import { runtimeDir } from '@jcc/network/ledger';
import { gatewayPackageDir, repoRoot } from './paths.js';

const cityIdSchema = z.enum(CITY_IDS as [CityId, ...CityId[]]);

/** Where verification reads ledger state from. */
export const VERIFY_SOURCES = ['index', 'peer'] as const;
/** `index`: the local event index, falling back to the peer when it is behind; `peer`: a peer query per check. */
export type VerifySource = (typeof VERIFY_SOURCES)[number];

/**
 * How the gateway signs the documents it issues: `ed25519` (a compact JWS,
 * EdDSA, as always), `ed25519+sm2` (a JWS in the JSON serialization with an
 * EdDSA and an SM2SM3 signature) or `sm2` (the JSON serialization with the
 * SM2SM3 signature only). See docs/national-crypto.md.
 */
export const SIGNATURE_SUITES = ['ed25519', 'ed25519+sm2', 'sm2'] as const;
/** One of {@link SIGNATURE_SUITES}. */
export type SignatureSuite = (typeof SIGNATURE_SUITES)[number];

/** Schema of the gateway configuration (file and environment are merged over the defaults, then checked with this). */
export const gatewayConfigSchema = z
  .object({
    city: cityIdSchema,
    /** Listen address. */
    host: z.string().min(1),
    /** Listen port; 0 picks a free port. */
    port: z.number().int().min(0).max(65535),
    /** URL other gateways and clients reach this gateway at. */
    publicUrl: z.url(),
    /** Store folder: LevelDB and key files. */
    storeDir: z.string().min(1),
    /** The local network description. */
    networkFile: z.string().min(1),
    /** User of the network description the gateway connects as. */
    fabricUser: z.string().min(1),
    /** The consortium secret itself (else read from `consortiumSecretFile`). */
    consortiumSecret: z.string().optional(),
    consortiumSecretFile: z.string().min(1),
    /** Folder served at `/`. */
    publicDir: z.string().min(1),
    anchor: z
      .object({
        /** A batch is anchored once it holds this many documents... */
        batchMaxSize: z.number().int().min(1).max(1_000_000),
        /** ...or once its oldest document has waited this long (ms). */
        batchMaxAgeMs: z.number().int().min(10),
        /** Batches in flight at once. */
        batchConcurrency: z.number().int().min(1).max(16),
        /** Single-mode anchor transactions in flight at once. */
        singleConcurrency: z.number().int().min(1).max(256),
        /** How often the anchorer looks at the outbox when not woken (ms). */
        pollMs: z.number().int().min(10),
      })
      .strict(),
    bulk: z
      .object({
        /** Evaluations per chunk of an import (one RecordEvaluationChunk transaction; the ledger accepts up to 4,000). */
        chunkSize: z.number().int().min(1).max(MAX_CHUNK_EVALUATIONS),
        /** Chunk transactions in flight at once for one import. */
        inFlight: z.number().int().min(1).max(128),
      })
      .strict(),
    verify: z
      .object({
        source: z.enum(VERIFY_SOURCES),
        /** Requests per minute and client address on the public endpoints; 0 disables the limit. */
        rateLimitPerMinute: z.number().int().min(0),
        /** How long to wait for a peer gateway when fetching a missing proof bundle (ms). */
        peerTimeoutMs: z.number().int().min(100),
        /** Worker threads verifying over in-memory copies of the index (source `index` only); 0 verifies on the main thread. */
        workers: z.number().int().min(0).max(16),
      })
      .strict(),
    lists: z
      .object({
        /** Days a city has to answer an objection (异议) to its list entry before it is overdue. */
        objectionDeadlineDays: z.number().int().min(1).max(365),
      })
      .strict(),
    notifications: z
      .object({
        /**
         * Development only: let subscriptions name a receiver on loopback (http or https).
         * Otherwise a receiver URL must be https to a public address (or one in `allowedNetworks`).
         */
        allowLoopback: z.boolean(),
        /** CIDR blocks of private networks receivers may be in (e.g. a city's intranet, `10.20.0.0/16`). */
        allowedNetworks: z.array(z.string().min(1)).max(64),
        /** Retry schedule of a delivery: full-jitter exponential back-off from `initialMs` up to `maxMs`, `attempts` tries in all. */
        retry: z
          .object({
            initialMs: z.number().int().min(10),
            maxMs: z.number().int().min(10),
            attempts: z.number().int().min(1).max(100),
          })
          .strict(),
        /** How long one delivery attempt may take (ms). */
        timeoutMs: z.number().int().min(100).max(120_000),
        /** Deliveries in flight at once. */
        concurrency: z.number().int().min(1).max(64),
        /** Notifications kept for Server-Sent Events resumption (`Last-Event-ID`). */
        retained: z.number().int().min(100).max(10_000_000),
      })
      .strict(),
    accessLog: z
      .object({
        /** How often a signed tree head of the access log is anchored when entries were appended (ms; 0: only on demand). */
        anchorIntervalMs: z.number().int().min(0),
        /**
         * The id of the log this gateway's store writes (env `JCC_ACCESS_LOG_ID`): absent, the
         * city's main log (its id is the city's). Another gateway instance of the city with a
         * store of its own (staging, a test gateway) writes a log of its own, `<city>-<suffix>`:
         * a log has exactly one writer (docs/access-log.md, "One writer per log").
         */
        logId: z.string().optional(),
      })
      .strict(),
    retention: z
      .object({
        /**
         * Days a document's body (the signed JWS, which holds the subject's
         * identifier) is kept after issue; past it the body is removed and the
         * hashes, proof and status kept. 0 keeps bodies for ever. Fractions allowed.
         */
        documentBodyDays: z.number().min(0),
        /** How often expired bodies are looked for (ms). */
        sweepIntervalMs: z.number().int().min(10),
      })
      .strict(),
    /** Gateway URLs of the other cities, overriding what the ledger says. */
    peers: z.partialRecord(cityIdSchema, z.url()),
    /** Record `publicUrl` on the ledger (cities:SetGatewayUrl) at start. */
    registerGatewayUrl: z.boolean(),
    tokens: z
      .object({
        /** Lifetime of tokens minted by default (s). */
        ttlSeconds: z
          .number()
          .int()
          .min(10)
          .max(31 * 24 * 3600),
        /** Lifetime of gateway-to-gateway tokens (s). */
        gatewayTtlSeconds: z.number().int().min(10).max(3600),
      })
      .strict(),
    /**
     * Longest time a write refused `NOT_FOUND` waits for the city's peer to
     * receive the blocks other cities committed before the 404 stands (ms; env
     * `JCC_CATCH_UP_TIMEOUT_MS`; 0 answers at once). See docs/consistency.md.
     */
    catchUpTimeoutMs: z.number().int().min(0).max(120_000),
    /** Largest JSON body accepted (bytes). */
    jsonLimitBytes: z.number().int().min(1024),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    /** Signature suite of issued documents (env `JCC_SIGNATURE_SUITE`); default `ed25519`. */
    signatureSuite: z.enum(SIGNATURE_SUITES),
    /**
     * The SM2 distinguishing identifier (用户可辨别标识) the gateway signs
     * SM2SM3 signatures with (env `JCC_SM2_ID`): UTF-8, 1 to 8191 bytes; default
     * `1234567812345678` (GM/T 0009-2012). Any other value is written in each
     * SM2SM3 protected header as `sm2id`, so every verifier uses it.
     */
    sm2Id: z.string().refine((id) => {
      const bytes = Buffer.byteLength(id, 'utf8');
      return bytes >= 1 && bytes <= SM2_MAX_ID_LENGTH;
    }, `must have 1 to ${SM2_MAX_ID_LENGTH} bytes (UTF-8)`),
    /** Worker threads signing issued Ed25519 documents (env `JCC_SIGNING_THREADS`); 0 signs on the main thread. */
    signingThreads: z.number().int().min(0).max(8),
    /**
     * Checks every 2xx answer against the response schema its route declares
     * (env `JCC_CHECK_RESPONSES`; the test gateways turn it on): an answer
     * that does not match becomes a 500 naming the mismatch. Off in production.
     */
    checkResponses: z.boolean(),
  })
  .strict();

/** The configuration of one city's gateway. */
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** Raised when the configuration is not valid; names the offending settings. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The city; overrides file and environment. */
  city?: string;
  /** A JSON configuration file (default: env `JCC_GATEWAY_CONFIG`, else none). */
  file?: string;
  /** Environment (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Settings that win over file and environment (tests). */
  overrides?: DeepPartial<GatewayConfig>;
}

/** Every member optional, recursively. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** The defaults for `city` on the local network. */
export function defaultConfig(city: CityId, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const root = repoRoot(env);
  const port = cityById(city).gatewayPort;
  return {
    city,
    host: '127.0.0.1',
    port,
    publicUrl: `http://127.0.0.1:${port}`,
    storeDir: join(root, '.data', 'gateway', city),
    networkFile: join(runtimeDir(env, root), 'network.json'),
    fabricUser: 'app',
    consortiumSecretFile: join(runtimeDir(env, root), 'consortium-secret'),
    publicDir: join(gatewayPackageDir(), 'public'),
    anchor: { batchMaxSize: 10_000, batchMaxAgeMs: 2000, batchConcurrency: 2, singleConcurrency: 32, pollMs: 1000 },
    bulk: { chunkSize: 4000, inFlight: 6 },
    verify: { source: 'index', rateLimitPerMinute: 600, peerTimeoutMs: 3000, workers: 1 },
    lists: { objectionDeadlineDays: 15 },
    notifications: {
      allowLoopback: false,
      allowedNetworks: [],
      retry: { initialMs: 5000, maxMs: 3_600_000, attempts: 18 },
      timeoutMs: 10_000,
      concurrency: 4,
      retained: 100_000,
    },
    accessLog: { anchorIntervalMs: 60_000 },
    retention: { documentBodyDays: 0, sweepIntervalMs: 3600_000 },
    peers: {},
    registerGatewayUrl: true,
    tokens: { ttlSeconds: 8 * 3600, gatewayTtlSeconds: 120 },
    catchUpTimeoutMs: 10_000,
    jsonLimitBytes: 1024 * 1024,
    logLevel: 'info',
    signatureSuite: 'ed25519',
    sm2Id: SM2_DEFAULT_ID,
    signingThreads: 1,
    checkResponses: false,
  };
}

/** Reads the environment variables into a partial configuration. */
export function configFromEnv(env: NodeJS.ProcessEnv): DeepPartial<GatewayConfig> {
  const out: DeepPartial<GatewayConfig> = {};
  const int = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
    return Number(raw);
  };
  const bool = (name: string): boolean | undefined => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return undefined;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
  };
  const str = (name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const set = <K extends keyof GatewayConfig>(key: K, value: DeepPartial<GatewayConfig>[K] | undefined): void => {
    if (value !== undefined) out[key] = value;
  };
  set('city', str('JCC_CITY') as CityId | undefined);
  set('host', str('JCC_GATEWAY_HOST'));
  set('port', int('JCC_GATEWAY_PORT'));
  set('publicUrl', str('JCC_GATEWAY_PUBLIC_URL'));
  set('storeDir', str('JCC_GATEWAY_STORE'));
  set('networkFile', str('JCC_NETWORK_FILE'));
  set('fabricUser', str('JCC_FABRIC_USER'));
  set('consortiumSecret', str('JCC_CONSORTIUM_SECRET'));
  set('consortiumSecretFile', str('JCC_CONSORTIUM_SECRET_FILE'));
  set('publicDir', str('JCC_GATEWAY_PUBLIC_DIR'));
  set('registerGatewayUrl', bool('JCC_REGISTER_GATEWAY_URL'));
  set('jsonLimitBytes', int('JCC_JSON_LIMIT_BYTES'));
  set('catchUpTimeoutMs', int('JCC_CATCH_UP_TIMEOUT_MS'));
  set('logLevel', str('JCC_LOG_LEVEL') as GatewayConfig['logLevel'] | undefined);
  set('signatureSuite', str('JCC_SIGNATURE_SUITE') as SignatureSuite | undefined);
  set('sm2Id', str('JCC_SM2_ID'));
  set('signingThreads', int('JCC_SIGNING_THREADS'));
  set('checkResponses', bool('JCC_CHECK_RESPONSES'));
  const anchor = dropUndefined({
    batchMaxSize: int('JCC_BATCH_MAX_SIZE'),
    batchMaxAgeMs: int('JCC_BATCH_MAX_AGE_MS'),
    batchConcurrency: int('JCC_BATCH_CONCURRENCY'),
    singleConcurrency: int('JCC_ANCHOR_CONCURRENCY'),
    pollMs: int('JCC_ANCHOR_POLL_MS'),
  });
  if (Object.keys(anchor).length) out.anchor = anchor;
  const bulk = dropUndefined({ chunkSize: int('JCC_BULK_CHUNK_SIZE'), inFlight: int('JCC_BULK_IN_FLIGHT') });
  if (Object.keys(bulk).length) out.bulk = bulk;
  const verify = dropUndefined({
    source: str('JCC_VERIFY_SOURCE') as VerifySource | undefined,
    rateLimitPerMinute: int('JCC_VERIFY_RATE_LIMIT'),
    peerTimeoutMs: int('JCC_PEER_TIMEOUT_MS'),
    workers: int('JCC_VERIFY_WORKERS'),
  });
  if (Object.keys(verify).length) out.verify = verify;
  const tokens = dropUndefined({ ttlSeconds: int('JCC_TOKEN_TTL'), gatewayTtlSeconds: int('JCC_GATEWAY_TOKEN_TTL') });
  if (Object.keys(tokens).length) out.tokens = tokens;
  const objectionDeadlineDays = int('JCC_OBJECTION_DEADLINE_DAYS');
  if (objectionDeadlineDays !== undefined) out.lists = { objectionDeadlineDays };
  const notifications = dropUndefined({
    allowLoopback: bool('JCC_NOTIFY_ALLOW_LOOPBACK'),
    allowedNetworks: str('JCC_NOTIFY_ALLOWED_NETWORKS')
      ?.split(',')
      .map((n) => n.trim())
      .filter(Boolean),
    timeoutMs: int('JCC_NOTIFY_TIMEOUT_MS'),
  });
  const retry = dropUndefined({
    initialMs: int('JCC_NOTIFY_RETRY_INITIAL_MS'),
    maxMs: int('JCC_NOTIFY_RETRY_MAX_MS'),
    attempts: int('JCC_NOTIFY_RETRY_ATTEMPTS'),
  });
  if (Object.keys(retry).length) (notifications as DeepPartial<GatewayConfig['notifications']>).retry = retry;
  if (Object.keys(notifications).length) out.notifications = notifications;
  const accessLog = dropUndefined({ anchorIntervalMs: int('JCC_ACCESS_LOG_ANCHOR_MS'), logId: str('JCC_ACCESS_LOG_ID') });
  if (Object.keys(accessLog).length) out.accessLog = accessLog;
  const bodyDays = str('JCC_RETENTION_BODY_DAYS');
  if (bodyDays !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(bodyDays.trim()))
      throw new ConfigError(`JCC_RETENTION_BODY_DAYS must be a number of days, got "${bodyDays}"`);
    out.retention = { documentBodyDays: Number(bodyDays) };
  }
  const sweepIntervalMs = int('JCC_RETENTION_SWEEP_MS');
  if (sweepIntervalMs !== undefined) out.retention = { ...out.retention, sweepIntervalMs };
  const peers = str('JCC_PEER_GATEWAYS');
  if (peers) out.peers = parsePeers(peers);
  return out;
}

/**
 * Parses `JCC_PEER_GATEWAYS`: either a JSON object `{"yantai": "http://..."}`
 * or a list `yantai=http://...,weihai=http://...`.
 */
export function parsePeers(text: string): Partial<Record<CityId, string>> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed) as Partial<Record<CityId, string>>;
  const out: Partial<Record<CityId, string>> = {};
  for (const part of trimmed.split(',')) {
    if (!part.trim()) continue;
    const at = part.indexOf('=');
    if (at < 1) throw new ConfigError(`JCC_PEER_GATEWAYS entry "${part}" is not city=url`);
    out[part.slice(0, at).trim() as CityId] = part.slice(at + 1).trim();
  }
  return out;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `over` onto `base` recursively (plain objects only; arrays and scalars replace). */
export function mergeDeep<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    out[key] = isPlainObject(out[key]) && isPlainObject(value) ? mergeDeep(out[key], value) : value;
  }
  return out as T;
}

/**
 * The configuration of a city's gateway: defaults for the local network,
 * then the JSON file, then the environment, then `overrides`. Relative paths
 * in the file are resolved against the file's folder; in the environment,
 * against the working directory.
 *
 * @throws ConfigError naming every invalid setting.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<GatewayConfig> {
  const env = options.env ?? process.env;
  const fromEnv = configFromEnv(env);
  const filePath = options.file ?? env.JCC_GATEWAY_CONFIG;
  let fromFile: DeepPartial<GatewayConfig> = {};
  if (filePath) {
    try {
      fromFile = JSON.parse(await readFile(filePath, 'utf8')) as DeepPartial<GatewayConfig>;
    } catch (err) {
      throw new ConfigError(`cannot read configuration file ${filePath}: ${(err as Error).message}`);
    }
    const base = resolve(filePath, '..');
    for (const key of ['storeDir', 'networkFile', 'consortiumSecretFile', 'publicDir'] as const) {
      const value = fromFile[key];
      if (typeof value === 'string') fromFile[key] = resolve(base, value);
    }
  }
  const city = options.city ?? options.overrides?.city ?? fromEnv.city ?? fromFile.city;
  const parsedCity = cityIdSchema.safeParse(city);
  if (!parsedCity.success) throw new ConfigError(`unknown or missing city "${String(city)}"; one of ${CITY_IDS.join(', ')}`);
  let merged: unknown = defaultConfig(parsedCity.data, env);
  merged = mergeDeep(merged, fromFile);
  merged = mergeDeep(merged, fromEnv);
  merged = mergeDeep(merged, options.overrides ?? {});
  merged = mergeDeep(merged, { city: parsedCity.data });
  const m = merged as GatewayConfig;
  // A port changed without a public URL keeps the URL in step with it.
  const explicitUrl = fromFile.publicUrl ?? fromEnv.publicUrl ?? options.overrides?.publicUrl;
  if (!explicitUrl && m.port !== defaultConfig(parsedCity.data, env).port) m.publicUrl = `http://127.0.0.1:${m.port}`;
  for (const key of ['storeDir', 'networkFile', 'consortiumSecretFile', 'publicDir'] as const) m[key] = resolve(m[key]);
  const checked = gatewayConfigSchema.safeParse(m);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid gateway configuration: ${problems}`);
  }
  const logId = checked.data.accessLog.logId;
  if (logId !== undefined && !isLogOf(logId, checked.data.city))
    throw new ConfigError(
      `invalid gateway configuration: accessLog.logId: "${logId}" is not a log id of ${checked.data.city} (${checked.data.city} or ${checked.data.city}-<suffix>, lower case)`,
    );
  return checked.data;
}
