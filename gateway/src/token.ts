/**
 * Mints a development bearer token for a city's gateway:
 * `npm run --silent token -- --city <city> --role <role> [--aud <cities|all>] [--sub <name>] [--ttl <seconds>]`.
 * An operator or gateway token is signed with the city's gateway key from its store folder
 * (generated there if the gateway never ran; the gateway registers it on the ledger at start).
 * A regulator or alliance token is signed with the holder's own key:
 * `--role regulator --identity <id> --key <private JWK file>` (the identity must be active on the ledger).
 */
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { CITY_IDS, isCityId, type CityId } from '@jcc/domain';
import { ROLES, type Role } from './auth/roles.js';
import { readHolderKey } from './auth/dev-identities.js';
import { mintIdentityToken, mintToken } from './auth/tokens.js';
import { loadConfig } from './config/config.js';
import { KeyStore } from './keys/keystore.js';

/** What {@link mintDevToken} needs. */
export interface DevTokenOptions {
  city: CityId;
  role: Role;
  /** Gateways that accept it (default: the city's own); `all` for the five. */
  audience?: CityId[] | 'all';
  subject?: string;
  ttlSeconds?: number;
  /** Store folder holding the city's keys (default: the gateway configuration's). */
  storeDir?: string;
  /** Regulator/alliance: the identity id registered on the ledger. */
  identity?: string;
  /** Regulator/alliance: the holder's private key file (JWK). */
  keyFile?: string;
}

/** Mints a token as the `token` command does. */
export async function mintDevToken(options: DevTokenOptions): Promise<string> {
  const config = await loadConfig({ city: options.city, ...(options.storeDir ? { overrides: { storeDir: options.storeDir } } : {}) });
  if (options.role === 'regulator' || options.role === 'alliance') {
    if (!options.identity || !options.keyFile)
      throw new Error(`a ${options.role} token is signed by the holder's registered key: give the identity id and the private key file`);
    const holder = await readHolderKey(options.keyFile);
    return mintIdentityToken({
      id: options.identity,
      role: options.role,
      privateKey: holder.privateKey,
      alg: holder.alg,
      audience: options.audience === 'all' || options.audience === undefined ? [...CITY_IDS] : options.audience,
      ttlSeconds: options.ttlSeconds ?? config.tokens.ttlSeconds,
    });
  }
  const keys = await KeyStore.open(config.storeDir, options.city);
  const audience = options.audience === 'all' ? [...CITY_IDS] : (options.audience ?? [options.city]);
  return mintToken({
    key: keys.current('gateway'),
    city: options.city,
    role: options.role,
    audience,
    ...(options.subject ? { subject: options.subject } : {}),
    ttlSeconds: options.ttlSeconds ?? config.tokens.ttlSeconds,
  });
}

/** Parses the command line, prints a token. */
export async function tokenMain(argv: string[] = process.argv): Promise<void> {
  const program = new Command()
    .name('token')
    .description("Prints a development bearer token for a city's gateway")
    .addOption(
      new Option('--city <city>', 'the city whose gateway signs (and, by default, accepts) the token')
        .choices(CITY_IDS)
        .makeOptionMandatory(),
    )
    .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
    .option('--aud <cities>', 'comma-separated cities whose gateways accept the token, or "all" (default: --city)')
    .option('--sub <name>', 'subject name (default <role>@<city>)')
    .option('--ttl <seconds>', 'lifetime in seconds (default 8 hours)')
    .option('--store <dir>', "the city gateway's store folder (default .data/gateway/<city>)")
    .option('--identity <id>', 'regulator/alliance: the identity id registered on the ledger')
    .option('--key <file>', "regulator/alliance: the holder's private key (JWK file)")
    .parse(argv);
  const o = program.opts<{
    city: CityId;
    role: Role;
    aud?: string;
    sub?: string;
    ttl?: string;
    store?: string;
    identity?: string;
    key?: string;
  }>();
  let audience: CityId[] | 'all' | undefined;
  if (o.aud === 'all') audience = 'all';
  else if (o.aud) {
    const list = o.aud.split(',').map((c) => c.trim());
    const bad = list.find((c) => !isCityId(c));
    if (bad) throw new Error(`--aud: unknown city ${bad}`);
    audience = list as CityId[];
  }
  const token = await mintDevToken({
    city: o.city,
    role: o.role,
    ...(audience ? { audience } : {}),
    ...(o.sub ? { subject: o.sub } : {}),
    ...(o.ttl ? { ttlSeconds: Number(o.ttl) } : {}),
    ...(o.store ? { storeDir: o.store } : {}),
    ...(o.identity ? { identity: o.identity } : {}),
    ...(o.key ? { keyFile: o.key } : {}),
  });
  process.stdout.write(token + '\n');
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  tokenMain().catch((err: unknown) => {
    console.error(`token: ${(err as Error).message}`);
    process.exit(1);
  });
}
