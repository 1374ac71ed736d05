import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Shortest consortium secret accepted (characters). */
export const MIN_SECRET_LENGTH = 32;

/** Raised when the consortium secret is unusable. */
export class SecretError extends Error {
  override readonly name = 'SecretError';
}

/**
 * The consortium secret the pseudonyms are keyed with: `value` when given,
 * otherwise the content of `file`, which is created with a random secret on
 * first use (development default; all five gateways read the same file).
 */
export async function loadConsortiumSecret(value: string | undefined, file: string): Promise<string> {
  if (value !== undefined && value !== '') return checked(value, 'JCC_CONSORTIUM_SECRET');
  try {
    return checked((await readFile(file, 'utf8')).trim(), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dirname(file), { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  try {
    await writeFile(file, generated + '\n', { flag: 'wx', mode: 0o600 });
    return generated;
  } catch (err) {
    // Another gateway created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return checked((await readFile(file, 'utf8')).trim(), file);
    throw err;
  }
}

function checked(secret: string, source: string): string {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new SecretError(`the consortium secret from ${source} is shorter than ${MIN_SECRET_LENGTH} characters`);
  return secret;
}
