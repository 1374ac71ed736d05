import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CITY_IDS, type CityId } from '@jcc/domain';

/** A DNS host name (RFC 1123 labels, at least two of them), lower case. */
const hostName = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/, 'not a lower-case DNS host name');

/** Host names of one city's nodes; any left out is derived from the city's domain. */
const hostsSchema = z
  .object({
    peer: hostName,
    orderer: hostName,
    chaincode: hostName,
    ca: hostName,
    gateway: hostName,
  })
  .partial()
  .strict();

/** What a real deployment needs to know about one city beyond the shared topology. */
export const cityDeploySchema = z
  .object({
    /** The city's DNS domain, e.g. `credit.qingdao.example.gov.cn`; node names are `peer0.<domain>` and so on. */
    domain: hostName,
    /** The address the city's host names resolve to, written as `extra_hosts` for cities without shared DNS. */
    address: z.union([z.ipv4(), z.ipv6()]).optional(),
    /** Overrides of the derived node host names. */
    hosts: hostsSchema.optional(),
    /** The URL other gateways and clients reach the city's gateway at (default `http://<gateway host>:<gateway port>`). */
    gatewayPublicUrl: z.url().optional(),
  })
  .strict();

/** Parameters of the deployment kit: one entry per city, every city present (部署参数). */
export const deployParamsSchema = z
  .object({
    /** Ignored; lets editors find a schema. */
    $comment: z.string().optional(),
    cities: z.record(z.enum(CITY_IDS as [CityId, ...CityId[]]), cityDeploySchema),
    /** Registry prefix of the project's own images (gateway, chaincode server, peer with Node), e.g. `registry.example.gov.cn/jcc`. */
    imagePrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._\-/:]*$/)
      .default('jiaodong-credit-chain'),
    /** Consensus of the ordering service, as in `network:up -- --consensus`. */
    consensus: z.enum(['raft', 'bft']).default('raft'),
  })
  .strict()
  .superRefine((params, ctx) => {
    for (const id of CITY_IDS) if (!params.cities[id]) ctx.addIssue({ code: 'custom', path: ['cities', id], message: 'missing city' });
  });

/** One city's deployment parameters. */
export type CityDeployParams = z.infer<typeof cityDeploySchema>;
/** The deployment kit's parameters, defaults filled in. */
export type DeployParams = z.infer<typeof deployParamsSchema>;

/** The parameters file is unreadable or invalid; the message names every offending setting. */
export class DeployParamsError extends Error {
  override readonly name = 'DeployParamsError';
}

/** Checks parameters given as a value (e.g. parsed JSON). */
export function parseDeployParams(value: unknown, source = 'parameters'): DeployParams {
  const parsed = deployParamsSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DeployParamsError(`${source} is not valid:\n${issues.join('\n')}`);
  }
  return parsed.data;
}

/** Reads and checks a parameters file such as `deploy/cities.example.json`. */
export async function readDeployParams(path: string): Promise<DeployParams> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new DeployParamsError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DeployParamsError(`${path} is not JSON: ${(err as Error).message}`);
  }
  return parseDeployParams(value, path);
}
