import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CITY_IDS, type CityId } from '@jcc/domain';

const identityFiles = z.object({ certPath: z.string().min(1), keyPath: z.string().min(1) });
const endpoint = z.object({ endpoint: z.string().min(1), hostAlias: z.string().min(1), tlsRootCertPath: z.string().min(1) });
const cityConnectionSchema = z.object({
  mspId: z.string().min(1),
  peer: endpoint,
  users: z.record(z.string(), identityFiles),
});

/** Schema of the `.runtime/network.json` file written by the local network. Unknown members are kept. */
export const networkFileSchema = z
  .object({
    channel: z.string().min(1),
    chaincode: z.string().min(1),
    cities: z.partialRecord(z.enum(CITY_IDS as [CityId, ...CityId[]]), cityConnectionSchema),
  })
  .loose();

/** How a city's applications reach its peer, and as whom. */
export type CityConnection = z.infer<typeof cityConnectionSchema>;
/** The description of the running network. */
export type NetworkFile = z.infer<typeof networkFileSchema>;

/** Raised when the network description is missing or does not have the expected shape. */
export class NetworkFileError extends Error {
  override readonly name = 'NetworkFileError';
}

/** Reads and checks the network description at `path`. */
export async function readNetworkFile(path: string): Promise<NetworkFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new NetworkFileError(
      `cannot read the network description ${path} (is the network up? npm run network:up): ${(err as Error).message}`,
    );
  }
  const parsed = networkFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new NetworkFileError(`${path} is not a network description: ${parsed.error.message}`);
  return parsed.data;
}

/** The connection of one city, or a {@link NetworkFileError} naming what is missing. */
export function cityConnection(
  network: NetworkFile,
  city: CityId,
  user: string,
): { connection: CityConnection; identity: { certPath: string; keyPath: string } } {
  const connection = network.cities[city];
  if (!connection) throw new NetworkFileError(`the network description has no city ${city}`);
  const identity = connection.users[user];
  if (!identity) throw new NetworkFileError(`the network description has no user ${user} for ${city}`);
  return { connection, identity };
}
