import type { Command } from 'commander';
import type { CityId } from '@jcc/domain';
import { verifyOnline, type VerificationResult } from '../lib/api.js';
import { parseDocumentInput, readTextInput } from '../lib/bundle.js';
import { contextFor, parsePositiveInt } from '../lib/context.js';
import { CliError, ExitCode } from '../lib/exit.js';
import { formatVerdict } from '../lib/format.js';
import { FabricLedger } from '../lib/offline/fabric.js';
import { cityOrder, defaultNetworkPath, loadNetworkDescription } from '../lib/offline/network.js';
import { verifyOffline } from '../lib/offline/verify.js';

interface VerifyOptions {
  offline?: boolean;
  network?: string;
  as?: string;
  connectTimeout: string;
  lang?: string;
}

/**
 * `jcc verify <file|->`: verifies a document (compact JWS, or JSON
 * `{jws, proof}`) through a gateway, or with `--offline` against the ledger
 * directly. Exit 0 when valid, 1 when a check failed.
 */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('verify a document (compact JWS or {jws, proof} JSON) through a gateway, or --offline against the ledger')
    .argument('<file>', 'file holding the document, or - for standard input')
    .option('--offline', 'no gateway: check the signature, Merkle proof, anchor and status against the ledger through Fabric')
    .option('--network <file>', 'network description for --offline (default $JCC_NETWORK_FILE or .runtime/network.json)')
    .option(
      '--as <city>',
      "--offline: the city whose peer and app identity to use first, and whose recognition is checked (default: the network's first)",
    )
    .option('--connect-timeout <ms>', '--offline: time to reach a peer before trying the next city', '5000')
    .option(
      '--lang <zh|en>',
      'explain each check in Chinese or English, times in China Standard Time (default: the English details as sent)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  jcc verify report.json\n  cat report.jws | jcc verify - --gateway http://127.0.0.1:8102\n  jcc verify report.json --offline --as weihai --json',
    )
    .action(async (file: string, opts: VerifyOptions, command: Command) => {
      const ctx = contextFor(command);
      if (opts.lang !== undefined && opts.lang !== 'zh' && opts.lang !== 'en')
        throw new CliError(ExitCode.USAGE, '--lang must be zh or en');
      const lang = opts.lang as 'zh' | 'en' | undefined;
      const bundle = parseDocumentInput(await readTextInput(file));
      let result: VerificationResult;
      if (opts.offline) {
        const connectMs = parsePositiveInt(opts.connectTimeout, '--connect-timeout');
        const networkFile = opts.network ?? defaultNetworkPath();
        const network = await loadNetworkDescription(networkFile);
        const order = cityOrder(network, opts.as);
        const ledger = await FabricLedger.connectAny(networkFile, network, order, { connectMs, evaluateMs: ctx.timeoutMs });
        try {
          if (opts.as && ledger.city !== opts.as) ctx.note(`${opts.as}'s peer is unreachable; reading the ledger through ${ledger.city}'s`);
          const recognisingCity = (opts.as ?? ledger.city) as CityId;
          result = { ...(await verifyOffline(bundle, ledger, { recognisingCity })), ledgerCity: ledger.city } as VerificationResult;
        } finally {
          ledger.close();
        }
      } else {
        if (opts.network || opts.as) throw new CliError(ExitCode.USAGE, '--network and --as apply to --offline verification only');
        result = await verifyOnline(ctx.gateway(), bundle);
      }
      if (ctx.options.json) ctx.printJson(result);
      else ctx.print(formatVerdict(result, ctx.style, lang));
      process.exitCode = result.valid ? ExitCode.OK : ExitCode.INVALID;
    });
}
