import type { Command } from 'commander';
import { usccProblem } from '@jcc/domain';
import { getPublicAgency } from '../lib/api.js';
import { contextFor } from '../lib/context.js';
import { CliError, ExitCode, usageError } from '../lib/exit.js';
import { formatAgency } from '../lib/format.js';

/**
 * `jcc agency <uscc>`: the public registry entry of a credit-service agency
 * (filing city, status, alliance membership, supervision). Exit 4 when no
 * city has filed it.
 */
export function registerAgency(program: Command): void {
  program
    .command('agency')
    .description('look a credit-service agency up in the five-city registry (public, no token)')
    .argument('<uscc>', 'unified social credit code of the agency')
    .action(async (usccArg: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      const uscc = usccArg.trim().toUpperCase();
      const problem = usccProblem(uscc);
      if (problem) throw usageError(`${uscc} is not a valid USCC: ${problem}`);
      try {
        const agency = await getPublicAgency(ctx.gateway(), uscc);
        if (ctx.options.json) ctx.printJson(agency);
        else ctx.print(formatAgency(agency, ctx.style));
      } catch (err) {
        if (err instanceof CliError && err.exitCode === ExitCode.NOT_FOUND) {
          throw new CliError(ExitCode.NOT_FOUND, `agency ${uscc}: not found 未找到 — no city has filed it`, err.details);
        }
        throw err;
      }
    });
}
