import type { Command } from 'commander';
import { isCityId } from '@jcc/domain';
import { contextFor, parsePositiveInt } from '../lib/context.js';
import { usageError } from '../lib/exit.js';
import { mintToken } from '../lib/token.js';

const ROLES = ['operator', 'regulator', 'alliance', 'gateway'];

/** `--aud`: `all`, or a comma-separated list of city ids. */
export function parseAudience(text: string): string[] | 'all' {
  if (text.trim() === 'all') return 'all';
  const cities = text.split(',').map((c) => c.trim());
  const unknown = cities.find((c) => !isCityId(c));
  if (unknown !== undefined) throw usageError(`--aud: unknown city "${unknown}"`);
  return cities;
}

interface TokenOptions {
  city: string;
  role: string;
  sub?: string;
  aud?: string;
  ttl?: string;
  store?: string;
  identity?: string;
  key?: string;
}

/**
 * `jcc token --city <city> --role <role>`: mints a bearer token for a city
 * gateway with the gateway's own signing key (run on the host of that
 * gateway). Prints the token alone, so `JCC_TOKEN=$(jcc token ...)` works.
 */
export function registerToken(program: Command): void {
  program
    .command('token')
    .description("mint a bearer token with the city gateway's key (on the gateway's host)")
    .requiredOption('--city <city>', 'city whose gateway issues the token: qingdao, yantai, weihai, weifang, rizhao')
    .requiredOption('--role <role>', `role: ${ROLES.join(', ')}`)
    .option('--sub <subject>', 'subject (who the token is for)')
    .option('--aud <cities>', 'comma-separated cities whose gateways accept the token, or "all" (default: --city)')
    .option('--ttl <seconds>', 'lifetime in seconds (default: the gateway configuration, 8 hours)')
    .option('--store <dir>', "the signing gateway's store folder (default .data/gateway/<city>)")
    .option('--identity <id>', 'regulator/alliance: the identity id registered on the ledger')
    .option('--key <file>', "regulator/alliance: the holder's private key (JWK file); the token is signed with it")
    .action(async (opts: TokenOptions, command: Command) => {
      const ctx = contextFor(command);
      if (!isCityId(opts.city)) throw usageError(`--city: unknown city "${opts.city}"`);
      if (!ROLES.includes(opts.role)) throw usageError(`--role: one of ${ROLES.join(', ')}`);
      if ((opts.role === 'regulator' || opts.role === 'alliance') && (!opts.identity || !opts.key))
        throw usageError(`--role ${opts.role}: give --identity <id> and --key <private JWK file> (the holder's registered key)`);
      const audience = opts.aud === undefined ? undefined : parseAudience(opts.aud);
      const token = await mintToken({
        city: opts.city,
        role: opts.role,
        ...(opts.sub ? { subject: opts.sub } : {}),
        ...(audience ? { audience } : {}),
        ...(opts.ttl ? { ttlSeconds: parsePositiveInt(opts.ttl, '--ttl') } : {}),
        ...(opts.store ? { storeDir: opts.store } : {}),
        ...(opts.identity ? { identity: opts.identity } : {}),
        ...(opts.key ? { keyFile: opts.key } : {}),
      });
      if (ctx.options.json) ctx.printJson({ token, city: opts.city, role: opts.role, audience: audience ?? [opts.city] });
      else ctx.print(token);
    });
}
