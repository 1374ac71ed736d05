import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CityId } from '@jcc/domain';

/** The file in a store's folder that holds the log id {@link storeLogId} gave the store. */
export const STORE_LOG_ID_FILE = 'access-log-id';

/**
 * A log of its own for an extra gateway store of `city` (test and benchmark
 * gateways next to the city's gateway on the same ledger): `<city>-<tag><random>`,
 * created once and kept in the store's folder, so the same store keeps
 * writing the same log and a new or wiped store starts a new one. A log has
 * exactly one writer (docs/access-log.md, "One writer per log"); pass the
 * result as `JCC_ACCESS_LOG_ID`. Production gateways name their log
 * explicitly (or write the city's main log) instead.
 */
export function storeLogId(city: CityId, storeDir: string, tag: string): string {
  const file = join(storeDir, STORE_LOG_ID_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(storeDir, { recursive: true, mode: 0o700 });
  const id = `${city}-${tag.replace(/[^a-z0-9]/g, '').slice(0, 8)}${randomBytes(5).toString('hex')}`;
  writeFileSync(file, id, { mode: 0o600 });
  return id;
}
