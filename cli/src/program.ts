import { Command, Option } from 'commander';
import { registerAccessReport } from './commands/access-report.js';
import { registerAgency } from './commands/agency.js';
import { registerEvaluations } from './commands/evaluations.js';
import { registerIssue } from './commands/issue.js';
import { registerList } from './commands/list.js';
import { registerStatus } from './commands/status.js';
import { registerSubscriptions } from './commands/subscriptions.js';
import { registerToken } from './commands/token.js';
import { registerVerify } from './commands/verify.js';
import { DEFAULT_GATEWAY } from './lib/context.js';
import { EXIT_CODE_HELP } from './lib/exit.js';

/** Version printed by `jcc --version`. */
export const CLI_VERSION = '0.1.0';

/**
 * Builds the `jcc` program: global options and the commands. Parse
 * errors throw (exitOverride) so that main.ts chooses the exit code.
 */
export function createProgram(): Command {
  const program = new Command('jcc')
    .description('Jiaodong Credit Chain 胶东半岛信用链 — issue, check and verify credit documents of the five cities')
    .version(CLI_VERSION)
    .addOption(new Option('--gateway <url>', 'city gateway to talk to').env('JCC_GATEWAY').default(DEFAULT_GATEWAY))
    .addOption(new Option('--token <jwt>', 'bearer token for protected endpoints').env('JCC_TOKEN'))
    .option('--json', 'machine-readable JSON on stdout (errors as {"error": {...}})', false)
    .option('--no-color', 'no ANSI colours (also NO_COLOR=1)')
    .option('--timeout <ms>', 'time limit of one request', '30000')
    .showHelpAfterError('(run jcc --help for usage)')
    .exitOverride()
    .addHelpText('after', `\n${EXIT_CODE_HELP}`);
  registerIssue(program);
  registerStatus(program);
  registerVerify(program);
  registerAgency(program);
  registerList(program);
  registerSubscriptions(program);
  registerEvaluations(program);
  registerToken(program);
  registerAccessReport(program);
  return program;
}
