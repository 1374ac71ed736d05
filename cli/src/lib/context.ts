import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, ExitCode, usageError } from './exit.js';
import { makeStyle, wantsColor, type Style } from './format.js';
import { GatewayClient } from './http.js';

/** Default gateway: Qingdao's, on this machine. */
export const DEFAULT_GATEWAY = 'http://127.0.0.1:8101';

/** Options every command accepts (see main.ts). */
export interface GlobalOptions {
  gateway: string;
  token?: string;
  json: boolean;
  color: boolean;
  timeout: string;
}

/** Where a command writes and what it was given. */
export interface CommandContext {
  options: GlobalOptions;
  style: Style;
  /** Writes a line (or lines) of human output to stdout. */
  print(text: string): void;
  /** Writes a value as pretty JSON to stdout. */
  printJson(value: unknown): void;
  /** Writes a note to stderr (progress, warnings); silent with --json. */
  note(text: string): void;
  /** A client of the gateway named by --gateway, with --token / JCC_TOKEN. */
  gateway(): GatewayClient;
  /** Request time limit in milliseconds (from --timeout). */
  timeoutMs: number;
}

/** Parses a positive integer option (milliseconds, seconds, counts). */
export function parsePositiveInt(value: string, name: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0 || !Number.isSafeInteger(Number(value)))
    throw usageError(`${name}: expected a positive integer, got "${value}"`);
  return Number(value);
}

/** Builds the context of the command being run, from its options and the program's global ones. */
export function contextFor(command: Command): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const timeoutMs = parsePositiveInt(options.timeout, '--timeout');
  const style = makeStyle(!options.json && wantsColor(process.stdout, process.env, options.color));
  return {
    options,
    style,
    timeoutMs,
    print: (text) => process.stdout.write(`${text}\n`),
    printJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => {
      if (!options.json) process.stderr.write(`${text}\n`);
    },
    gateway: () => new GatewayClient({ baseUrl: options.gateway, token: options.token, timeoutMs }),
  };
}

/**
 * Writes a JSON file (a proof bundle), refusing to overwrite unless asked.
 *
 * @throws CliError (usage) when the file exists and `force` is false, or cannot be written.
 */
export async function writeJsonFile(path: string, value: unknown, force: boolean): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(value, null, 2)}\n`, { flag: force ? 'w' : 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw usageError(`${path} exists; pass --force to overwrite it`);
    throw new CliError(ExitCode.USAGE, `cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
