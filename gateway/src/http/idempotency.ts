import { canonicalJson, sha256Hex } from '@jcc/domain';
import { IdempotencyConflictError } from '../issue/issuer.js';
import { KeyedMutex } from '../lib/keyed-mutex.js';
import type { Store } from '../store/store.js';
import type { Table } from '../store/table.js';

/** A stored answer to a request sent with an `Idempotency-Key`. */
export interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
  at: string;
}

/** Pattern of an acceptable `Idempotency-Key`: 1-128 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

/**
 * Answers kept for requests sent with an `Idempotency-Key`, scoped to the
 * caller and the endpoint. A retry with the same key and body gets the stored
 * answer; the same key with another body is an {@link IdempotencyConflictError}.
 * Requests under one key run one at a time. Handlers derive ledger record ids
 * from the key too, so a retry after a crash (before the answer was stored)
 * names the same records and the chaincode's idempotency does the rest.
 */
export class IdempotencyCache {
  readonly #table: Table<StoredAnswer>;
  readonly #mutex = new KeyedMutex();

  constructor(store: Store) {
    this.#table = store.table('idempotency');
  }

  /** Forgets answers stored before `before` (epoch ms); returns how many. */
  async prune(before: number): Promise<number> {
    const cutoff = new Date(before).toISOString();
    let removed = 0;
    for await (const [key, answer] of this.#table.entries()) {
      if (answer.at < cutoff) {
        await this.#table.del(key);
        removed++;
      }
    }
    return removed;
  }

  /** The fingerprint of a request: method, path and canonical body. */
  static fingerprint(method: string, path: string, body: unknown): string {
    return sha256Hex(canonicalJson({ method, path, body: body ?? null }));
  }

  /**
   * Runs `work` unless an answer is stored for `scope`+`key`; stores a 2xx answer.
   * Returns the answer and whether it was replayed.
   */
  async run(
    scope: string,
    key: string,
    fingerprint: string,
    work: () => Promise<{ status: number; body: unknown }>,
  ): Promise<{ status: number; body: unknown; replayed: boolean }> {
    const id = `${scope}|${key}`;
    return this.#mutex.run(id, async () => {
      const stored = await this.#table.get(id);
      if (stored) {
        if (stored.fingerprint !== fingerprint)
          throw new IdempotencyConflictError('this Idempotency-Key was used with a different request');
        return { status: stored.status, body: stored.body, replayed: true };
      }
      const answer = await work();
      if (answer.status >= 200 && answer.status < 300)
        await this.#table.put(id, { fingerprint, status: answer.status, body: answer.body, at: new Date().toISOString() });
      return { ...answer, replayed: false };
    });
  }
}
