import { createHash } from 'node:crypto';

/**
 * The committed world state of a fake ledger: key → value and key → key-level
 * endorsement policy, iterated in the order of a Fabric state database
 * (the UTF-8 bytes of the keys).
 */

/** A copy of the world state that `assert.deepStrictEqual` can compare. */
export interface WorldSnapshot {
  /** Key → value, as UTF-8 text. */
  values: Record<string, string>;
  /** Key → validation parameter, as hex. */
  validationParameters: Record<string, string>;
}

/** Compares two keys as a Fabric state database orders them: by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The committed state shared by the transactions of one fake ledger. */
export class FakeWorldState {
  /** Committed values. */
  readonly values = new Map<string, Uint8Array>();
  /** Committed key-level endorsement policies. */
  readonly validationParameters = new Map<string, Uint8Array>();
  /** SHA-256 of each committed private value (`collection\u0000key`), as Fabric keeps on every peer. */
  readonly privateHashes = new Map<string, Uint8Array>();

  /** Applies a transaction's private writes: only their hashes are kept (as on a peer outside the collection). */
  applyPrivate(writes: ReadonlyMap<string, Uint8Array>): void {
    for (const [key, value] of writes) this.privateHashes.set(key, createHash('sha256').update(value).digest());
  }

  /** Every committed key, in state-database order. */
  sortedKeys(): string[] {
    return [...this.values.keys()].sort(compareKeys);
  }

  /** The committed keys `k` with `start <= k < end`, in state-database order. */
  keysInRange(start: string, end: string): string[] {
    return this.sortedKeys().filter((key) => compareKeys(key, start) >= 0 && compareKeys(key, end) < 0);
  }

  /** Applies a transaction's writes (`null` deletes the key and its policy) and policies. */
  apply(writes: ReadonlyMap<string, Uint8Array | null>, validationParameters: ReadonlyMap<string, Uint8Array>): void {
    for (const [key, value] of writes) {
      if (value === null) {
        this.values.delete(key);
        this.validationParameters.delete(key);
      } else {
        this.values.set(key, value);
      }
    }
    for (const [key, policy] of validationParameters) {
      if (this.values.has(key)) this.validationParameters.set(key, policy);
    }
  }

  /** A deep copy for before/after comparisons. */
  snapshot(): WorldSnapshot {
    const values: Record<string, string> = {};
    const validationParameters: Record<string, string> = {};
    for (const key of this.sortedKeys()) {
      values[key] = Buffer.from(this.values.get(key) as Uint8Array).toString('utf8');
      const policy = this.validationParameters.get(key);
      if (policy) validationParameters[key] = Buffer.from(policy).toString('hex');
    }
    return { values, validationParameters };
  }
}
