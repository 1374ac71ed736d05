/**
 * `npm run --silent token -- --city <city> --role <role> [--aud <cities|all>] [--sub <name>] [--ttl <s>]`:
 * prints a development bearer token for that city's gateway.
 */
import { tokenMain } from '../gateway/src/token.js';

try {
  await tokenMain(process.argv);
} catch (err) {
  process.stderr.write(`token: ${(err as Error).message}\n`);
  process.exit(1);
}
