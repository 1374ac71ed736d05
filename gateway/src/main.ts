/**
 * Starts one city's gateway:
 * `node gateway/dist/main.js <city> [--config file] [--port n]` (compiled:
 * what every supervisor runs), or from source with `node --import tsx
 * gateway/src/main.ts <city>`. Stops cleanly on SIGINT/SIGTERM.
 */
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { CITY_IDS } from '@jcc/domain';
import { loadConfig, type DeepPartial, type GatewayConfig } from './config/config.js';
import { startGateway } from './gateway.js';

/** Parses the command line and runs the gateway until a signal stops it. */
export async function main(argv: string[] = process.argv): Promise<void> {
  const program = new Command()
    .name('jcc-gateway')
    .description("Runs one city's gateway of the Jiaodong Credit Chain")
    .argument('[city]', `one of ${CITY_IDS.join(', ')} (default: env JCC_CITY)`)
    .option('-c, --config <file>', 'JSON configuration file (default: env JCC_GATEWAY_CONFIG)')
    .option('-p, --port <port>', "listen port (default: the city's port, 8101-8105)")
    .option('--verify-source <source>', 'index | peer (default: env JCC_VERIFY_SOURCE or index)')
    .parse(argv);
  const [city] = program.args;
  const opts = program.opts<{ config?: string; port?: string; verifySource?: string }>();
  const overrides: DeepPartial<GatewayConfig> = {};
  if (opts.port !== undefined) overrides.port = Number(opts.port);
  if (opts.verifySource !== undefined) overrides.verify = { source: opts.verifySource as GatewayConfig['verify']['source'] };
  const config = await loadConfig({ ...(city ? { city } : {}), ...(opts.config ? { file: opts.config } : {}), overrides });
  const gateway = await startGateway(config);
  const shutdown = (signal: string): void => {
    gateway.services.log.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main().catch((err: unknown) => {
    console.error(`jcc-gateway: ${(err as Error).message}`);
    process.exit(1);
  });
}
