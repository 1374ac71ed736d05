import { z } from 'zod';
import { canonicalJson, hmacSha256Hex, sha256Hex } from '@jcc/domain';
import { LedgerRefusedError } from '../fabric/errors.js';
import type { Store } from '../store/store.js';
import type { Table } from '../store/table.js';

/**
 * Free text kept off the ledger (issue 11 §2, finding 8): the legal basis
 * and measures of a list entry, the note of a removal and of an objection's
 * answer. The issuing gateway stores the text; the ledger holds
 * `SHA-256(salt ":" text)` (for a list of items, `text` is its RFC 8785
 * canonical JSON), where `salt` is 64 hex characters derived from the
 * consortium secret and the record, so a retried request commits to the same
 * hash, yet nobody who reads the ledger can guess short texts back from it.
 * Anyone given the text and its salt can check it with standard tools:
 * `printf '%s:%s' "$salt" "$text" | sha256sum`.
 */

/** Text kept off the ledger, with the salt that proves it against the ledger's hash. */
export type RevealedText = { text: string; salt: string } | { items: string[]; salt: string };

/** {@link RevealedText}, as answers state it. */
export const revealedTextSchema = z
  .union([z.object({ text: z.string(), salt: z.string() }), z.object({ items: z.array(z.string()), salt: z.string() })])
  .describe(
    "a text kept off the ledger, with the salt that proves it against the ledger's hash (SHA-256 of salt, ':' and the text)",
  ) satisfies z.ZodType<RevealedText>;

/** The text of a revealed single text (not a list of items), if any. */
export function textOf(revealed: RevealedText | undefined): string | undefined {
  return revealed && 'text' in revealed ? revealed.text : undefined;
}

/** The commitment the ledger holds for `text` under `salt`. */
export function textCommitment(salt: string, text: string): string {
  return sha256Hex(`${salt}:${text}`);
}

/**
 * The gateway's store of free text, addressed by the hash the ledger holds
 * (so a refused retry with other text cannot replace the text of a record).
 */
export class FreeTexts {
  readonly #table: Table<RevealedText>;
  readonly #secret: string;

  /**
   * @param table the store table holding the texts; a concern whose texts have their own readers keeps
   *   them in a table of its own (recognition reasons: `recognition-texts`).
   */
  constructor(store: Store, secret: string, table = 'free-texts') {
    this.#table = store.table(table);
    this.#secret = secret;
  }

  /**
   * Runs `write`, the ledger transaction that names the texts of `fields`
   * (`name → [scope, text]`) by their hashes, with the texts kept first, so a
   * committed record always finds its text here. When the ledger refuses the
   * write (nothing recorded), the texts this call added are removed again:
   * refused input leaves nothing behind. (A write whose outcome is unknown,
   * the ledger unreachable, keeps them for the retry.)
   */
  async keep<K extends string, T>(
    fields: Record<K, [scope: string, value: string | readonly string[]]>,
    write: (hashes: Record<K, string>) => Promise<T>,
  ): Promise<T> {
    const hashes = {} as Record<K, string>;
    const added: string[] = [];
    for (const name of Object.keys(fields) as K[]) {
      const [scope, value] = fields[name];
      const put = await this.#put(scope, value);
      hashes[name] = put.hash;
      if (put.added) added.push(put.hash);
    }
    try {
      return await write(hashes);
    } catch (err) {
      if (err instanceof LedgerRefusedError) for (const hash of added) await this.#table.del(hash);
      throw err;
    }
  }

  /** Stores `value` for the field `scope` (e.g. `qingdao|entry-1|legalBasis`) unless held already; answers its hash. */
  async #put(scope: string, value: string | readonly string[]): Promise<{ hash: string; added: boolean }> {
    const salt = hmacSha256Hex(this.#secret, `jcc-free-text/v1|${scope}`);
    const text = typeof value === 'string' ? value : canonicalJson(value);
    const hash = textCommitment(salt, text);
    const added = (await this.#table.get(hash)) === undefined;
    if (added) await this.#table.put(hash, typeof value === 'string' ? { text: value, salt } : { items: [...value], salt });
    return { hash, added };
  }

  /** The text behind a ledger hash, when this gateway holds it (and it matches). */
  async reveal(hash: string | undefined): Promise<RevealedText | undefined> {
    if (!hash) return undefined;
    const stored = await this.#table.get(hash);
    if (!stored) return undefined;
    const text = 'text' in stored ? stored.text : canonicalJson(stored.items);
    return textCommitment(stored.salt, text) === hash ? stored : undefined;
  }
}
