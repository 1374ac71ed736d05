import type { Command } from 'commander';
import { bundleFromReport, getReport, waitForAnchor } from '../lib/api.js';
import { contextFor, parsePositiveInt, writeJsonFile } from '../lib/context.js';
import { usageError } from '../lib/exit.js';
import { formatReport } from '../lib/format.js';

interface StatusOptions {
  wait?: string | boolean;
  out?: string;
  force?: boolean;
}

/**
 * `jcc status <id>`: a report's state (pending, anchored, revoked,
 * superseded, expired), anchor and proof; `--out` saves its bundle.
 */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show a report's state, anchor and proof (needs a token of the issuing city, a regulator or a gateway)")
    .argument('<id>', 'report id')
    .option('--wait [seconds]', 'wait while the report is pending (default 60 s)')
    .option('--out <file>', 'save the bundle {jws, proof} for offline verification')
    .option('--force', 'overwrite the --out file')
    .action(async (id: string, opts: StatusOptions, command: Command) => {
      const ctx = contextFor(command);
      if (!/^[A-Za-z0-9._:-]{1,128}$/.test(id)) throw usageError(`not a report id: ${id}`);
      const client = ctx.gateway();
      const report =
        opts.wait === undefined
          ? await getReport(client, id)
          : await waitForAnchor(client, id, (typeof opts.wait === 'string' ? parsePositiveInt(opts.wait, '--wait') : 60) * 1000);
      if (opts.out !== undefined) {
        await writeJsonFile(opts.out, bundleFromReport(report), opts.force === true);
        ctx.note(`bundle saved to ${opts.out}`);
      }
      if (ctx.options.json) ctx.printJson(report);
      else ctx.print(formatReport(report, ctx.style));
    });
}
