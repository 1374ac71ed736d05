import type { AbstractSublevel } from 'abstract-level';

/** A LevelDB sublevel of JSON values under string keys. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSublevel<V> = AbstractSublevel<any, string | Buffer | Uint8Array, string, V>;

/** One operation of an atomic write across tables (see {@link Store.write}). */
export type WriteOp =
  | { type: 'put'; sublevel: JsonSublevel<unknown>; key: string; value: unknown }
  | { type: 'del'; sublevel: JsonSublevel<unknown>; key: string };

/** Range and order options of {@link Table.entries}. */
export interface RangeOptions {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  limit?: number;
  reverse?: boolean;
}

/**
 * A named table of the store: JSON values under string keys, sorted by key.
 * Writes that must happen together are built with {@link Table.putOp} and
 * {@link Table.delOp} and committed with {@link Store.write}.
 */
export class Table<V> {
  readonly #sub: JsonSublevel<V>;

  constructor(sublevel: JsonSublevel<V>) {
    this.#sub = sublevel;
  }

  /** The value under `key`, or `undefined`. */
  async get(key: string): Promise<V | undefined> {
    return (await this.#sub.get(key)) ?? undefined;
  }

  /** The values under `keys`, `undefined` where absent. */
  async getMany(keys: string[]): Promise<Array<V | undefined>> {
    if (keys.length === 0) return [];
    return (await this.#sub.getMany(keys)).map((v) => v ?? undefined);
  }

  put(key: string, value: V): Promise<void> {
    return this.#sub.put(key, value);
  }

  del(key: string): Promise<void> {
    return this.#sub.del(key);
  }

  /** A put to commit atomically with other operations. */
  putOp(key: string, value: V): WriteOp {
    return { type: 'put', sublevel: this.#sub as JsonSublevel<unknown>, key, value };
  }

  /** A delete to commit atomically with other operations. */
  delOp(key: string): WriteOp {
    return { type: 'del', sublevel: this.#sub as JsonSublevel<unknown>, key };
  }

  /** True when `op` writes to this table. */
  owns(op: WriteOp): boolean {
    return op.sublevel === (this.#sub as JsonSublevel<unknown>);
  }

  /** Entries in key order (or reverse), within the range. */
  async *entries(options: RangeOptions = {}): AsyncGenerator<[string, V]> {
    for await (const entry of this.#sub.iterator(rangeOf(options))) yield entry as [string, V];
  }

  /** Keys in key order (or reverse), within the range. */
  async *keys(options: RangeOptions = {}): AsyncGenerator<string> {
    for await (const key of this.#sub.keys(rangeOf(options))) yield key;
  }

  /** Up to `limit` entries from the start of the range, as an array. */
  async list(options: RangeOptions = {}): Promise<Array<[string, V]>> {
    const out: Array<[string, V]> = [];
    for await (const entry of this.entries(options)) out.push(entry);
    return out;
  }

  /** Number of entries within the range (iterates keys). */
  async count(options: RangeOptions = {}): Promise<number> {
    let n = 0;
    for await (const _key of this.keys(options)) n++;
    return n;
  }
}

function rangeOf(options: RangeOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v;
  return out;
}

/** The keys starting with `prefix`, as a range. */
export function prefixRange(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: prefix + '\uffff' };
}
