import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { CITY_IDS, type CityId } from '@jcc/domain';
import { networkFilePath } from '../paths.js';

/** Paths of an identity's certificate and private key (PEM files, or an MSP folder holding one). */
export const identityFilesSchema = z.object({ certPath: z.string().min(1), keyPath: z.string().min(1) });

/** A node as its clients reach it: address, TLS root certificate and the host name its certificate is issued for. */
export const nodeEndpointSchema = z.object({
  endpoint: z.string().min(1),
  /** Expected TLS server name; empty or absent when the endpoint's own host name is the one. */
  hostAlias: z.string().default(''),
  tlsRootCertPath: z.string().min(1),
});

/** How one city's applications reach its peer, and as whom (`users.app`, `users.admin`, …). */
export const cityConnectionSchema = z
  .object({
    mspId: z.string().min(1),
    peer: nodeEndpointSchema,
    orderer: nodeEndpointSchema.optional(),
    users: z.record(z.string(), identityFilesSchema),
  })
  .loose()
  .refine((c) => Object.keys(c.users).length > 0, { message: 'has no user with certPath and keyPath', path: ['users'] });

/**
 * Schema of the network description (`network.json` in the runtime folder)
 * that `network:up` writes and the gateways, the CLI, network readiness and
 * the tests read. Unknown members are kept.
 */
export const networkFileSchema = z
  .object({
    channel: z.string().min(1),
    chaincode: z.string().min(1),
    consensus: z.enum(['raft', 'bft']).optional(),
    cities: z
      .partialRecord(z.enum(CITY_IDS as [CityId, ...CityId[]]), cityConnectionSchema)
      .refine((cities) => Object.keys(cities).length > 0, { message: 'is empty' }),
  })
  .loose();

/** Paths of an identity's certificate and private key. */
export type IdentityFiles = z.infer<typeof identityFilesSchema>;
/** A node as its clients reach it. */
export type NodeEndpoint = z.infer<typeof nodeEndpointSchema>;
/** How one city's applications reach its peer, and as whom. */
export type CityConnection = z.infer<typeof cityConnectionSchema>;
/** The description of the running network, as read (paths absolute). */
export type NetworkFile = z.infer<typeof networkFileSchema>;
/** What `network:up` writes: a description of the network, before parsing. */
export type NetworkFileInput = z.input<typeof networkFileSchema>;

/** Raised when the network description is missing or does not have the expected shape. */
export class NetworkFileError extends Error {
  override readonly name = 'NetworkFileError';
  /** `missing`: the file cannot be read (the network is probably not up); `malformed`: it is not a description. */
  readonly reason: 'missing' | 'malformed';
  /** The file, when the description came from one. */
  readonly path: string | undefined;

  constructor(reason: 'missing' | 'malformed', message: string, path?: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
    this.path = path;
  }
}

/** `"cities.qingdao.peer.endpoint": Required` for each problem zod found, the first few joined. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `"${issue.path.map(String).join('.') || '(top)'}" ${issue.message}`)
    .join('; ');
}

/**
 * Checks the shape of a parsed network description.
 *
 * @throws NetworkFileError (malformed) naming the fields that are missing or wrong.
 */
export function parseNetworkFile(value: unknown): NetworkFile {
  const parsed = networkFileSchema.safeParse(value);
  if (!parsed.success) throw new NetworkFileError('malformed', `not a network description: ${describeIssues(parsed.error)}`);
  return parsed.data;
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

/** The description with every file path made absolute with {@link resolveNetworkPath}. */
function withAbsolutePaths(file: string, description: NetworkFile): NetworkFile {
  const abs = (path: string): string => resolveNetworkPath(file, path);
  const node = (n: NodeEndpoint): NodeEndpoint => ({ ...n, tlsRootCertPath: abs(n.tlsRootCertPath) });
  const cities: NetworkFile['cities'] = {};
  for (const [id, c] of Object.entries(description.cities) as [CityId, CityConnection][]) {
    cities[id] = {
      ...c,
      peer: node(c.peer),
      ...(c.orderer ? { orderer: node(c.orderer) } : {}),
      users: Object.fromEntries(Object.entries(c.users).map(([name, u]) => [name, { certPath: abs(u.certPath), keyPath: abs(u.keyPath) }])),
    };
  }
  return { ...description, cities };
}

/**
 * Reads and checks the network description (default: `JCC_NETWORK_FILE`,
 * else `network.json` in the runtime folder, which honours `JCC_RUNTIME_DIR`).
 * Relative paths inside it are resolved with {@link resolveNetworkPath}.
 *
 * @throws NetworkFileError: `missing` when the file cannot be read, `malformed` when it is not a description.
 */
export async function readNetworkFile(path: string = networkFilePath()): Promise<NetworkFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new NetworkFileError(
      'missing',
      `cannot read the network description ${path} (is the network up? npm run network:up): ${(err as Error).message}`,
      path,
      { cause: err },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new NetworkFileError('malformed', `${path} is not JSON: ${(err as Error).message}`, path, { cause: err });
  }
  try {
    return withAbsolutePaths(path, parseNetworkFile(value));
  } catch (err) {
    if (err instanceof NetworkFileError) throw new NetworkFileError('malformed', `${path} is ${err.message}`, path, { cause: err });
    throw err;
  }
}

/** The connection of one city and one of its users, or a {@link NetworkFileError} naming what is missing. */
export function cityConnection(network: NetworkFile, city: CityId, user: string): { connection: CityConnection; identity: IdentityFiles } {
  const connection = network.cities[city];
  if (!connection) throw new NetworkFileError('malformed', `the network description has no city ${city}`);
  const identity = connection.users[user];
  if (!identity) throw new NetworkFileError('malformed', `the network description has no user ${user} for ${city}`);
  return { connection, identity };
}
