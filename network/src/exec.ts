import { execFile as execFileCb } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFileCb);

/** A command that exited non-zero, with what it printed. */
export class CommandError extends Error {
  readonly command: string;
  readonly stdout: string;
  readonly stderr: string;
  constructor(command: string, stdout: string, stderr: string) {
    super(`command failed: ${command}\n${tail(stderr || stdout)}`.trim());
    this.name = 'CommandError';
    this.command = command;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** The last lines of a command's output, which carry its error. */
function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Runs a program to completion and returns its stdout; throws {@link CommandError} on a non-zero exit. */
export async function runTool(file: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd?: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, args, { env, cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new CommandError(`${file} ${args.join(' ')}`, e.stdout ?? '', e.stderr ?? String(err));
  }
}
