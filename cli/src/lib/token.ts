import type { CityId } from '@jcc/domain';
import { CliError, ExitCode } from './exit.js';

/** What `jcc token` asks the gateway's token module for. */
export interface TokenRequest {
  /** City whose gateway key signs the token. */
  city: string;
  /** operator, regulator, alliance or gateway. */
  role: string;
  /** Subject name (default `<role>@<city>`). */
  subject?: string;
  /** Gateways that accept the token (default: the signing city's); `all` for the five. */
  audience?: string[] | 'all';
  /** Lifetime in seconds (default: the gateway configuration's). */
  ttlSeconds?: number;
  /** The signing gateway's store folder (default: the gateway configuration's). */
  storeDir?: string;
  /** Regulator/alliance: the identity id registered on the ledger. */
  identity?: string;
  /** Regulator/alliance: the holder's private key file (JWK). */
  keyFile?: string;
}

type GatewayTokenModule = {
  mintDevToken(options: {
    city: CityId;
    role: 'operator' | 'regulator' | 'alliance' | 'gateway';
    audience?: CityId[] | 'all';
    subject?: string;
    ttlSeconds?: number;
    storeDir?: string;
    identity?: string;
    keyFile?: string;
  }): Promise<string>;
};

/**
 * Mints a bearer token with the gateway's own token module
 * (`mintDevToken` of `@jcc/gateway`, the code behind `npm run token`), so the
 * CLI never duplicates how tokens are signed or which key signs them. The
 * gateway package is loaded only here, when a token is asked for.
 *
 * @throws CliError (unavailable) when the gateway package is not built or its key store cannot be read.
 */
export async function mintToken(request: TokenRequest): Promise<string> {
  let module: GatewayTokenModule;
  try {
    module = (await import('@jcc/gateway')) as unknown as GatewayTokenModule;
  } catch (err) {
    throw new CliError(
      ExitCode.UNAVAILABLE,
      `cannot load the gateway's token module (is it built? npm run build): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  try {
    return await module.mintDevToken({
      city: request.city as CityId,
      role: request.role as 'operator',
      ...(request.audience ? { audience: request.audience as CityId[] | 'all' } : {}),
      ...(request.subject ? { subject: request.subject } : {}),
      ...(request.ttlSeconds ? { ttlSeconds: request.ttlSeconds } : {}),
      ...(request.storeDir ? { storeDir: request.storeDir } : {}),
      ...(request.identity ? { identity: request.identity } : {}),
      ...(request.keyFile ? { keyFile: request.keyFile } : {}),
    });
  } catch (err) {
    throw new CliError(
      ExitCode.UNAVAILABLE,
      `cannot mint a token for ${request.city}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
