import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
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
  // Written whole to a file of our own, then linked into place: a gateway starting at the
  // same moment sees either no secret or the whole secret, never a half-written one.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, generated + '\n', { flag: 'wx', mode: 0o600 });
  try {
    await link(temp, file);
    return generated;
  } catch (err) {
    // Another gateway created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return checked((await readFile(file, 'utf8')).trim(), file);
    throw err;
  } finally {
    await rm(temp, { force: true });
  }
}

function checked(secret: string, source: string): string {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new SecretError(`the consortium secret from ${source} is shorter than ${MIN_SECRET_LENGTH} characters`);
  return secret;
}
