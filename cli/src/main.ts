import { CommanderError } from 'commander';
import { createProgram } from './program.js';
import { CliError, ExitCode } from './lib/exit.js';

/**
 * Entry point of `jcc` (cli/bin/jcc.js imports this module): runs the
 * program and turns every failure into one message and a documented exit code.
 */
async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message (or the help / version)
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0) return ExitCode.OK;
      if (json)
        process.stdout.write(
          `${JSON.stringify({ error: { message: err.message.replace(/^error: /, ''), exitCode: ExitCode.USAGE } }, null, 2)}\n`,
        );
      return ExitCode.USAGE;
    }
    const cliError =
      err instanceof CliError
        ? err
        : new CliError(ExitCode.UNAVAILABLE, `unexpected failure: ${err instanceof Error ? err.message : String(err)}`);
    if (json)
      process.stdout.write(
        `${JSON.stringify({ error: { message: cliError.message, exitCode: cliError.exitCode, ...cliError.details } }, null, 2)}\n`,
      );
    process.stderr.write(`jcc: ${cliError.message}\n`);
    if (!(err instanceof CliError) && process.env.JCC_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return cliError.exitCode;
  }
}

process.exitCode = await main(process.argv);
