import type { IdentityView } from '@jcc/domain';
import type { Ledger, TransactionName } from '../fabric/ledger.js';

/** The `identities` contract's transactions. */
export function identityTransaction(name: 'ProposeIdentity' | 'ApproveIdentity' | 'RevokeIdentity' | 'GetIdentity'): TransactionName {
  return `identities:${name}`;
}

/**
 * A regulator or alliance identity as this gateway's own peer returns it
 * (`identities:GetIdentity`, approvals from the cities' key sets), or
 * `undefined` when the ledger knows none by that id.
 */
export async function ledgerIdentity(ledger: Ledger, id: string): Promise<IdentityView | undefined> {
  try {
    return await ledger.evaluate<IdentityView>(identityTransaction('GetIdentity'), { id });
  } catch (err) {
    if ((err as Error).name === 'LedgerRefusedError') return undefined;
    throw err;
  }
}

/**
 * Identities as this gateway's peer returned them, kept until the event index
 * applies an identity event (proposal, approval, revocation) or `ttlMs` passes,
 * so a regulator's requests cost no peer query each; a revocation takes effect
 * once this gateway's index has seen its block.
 */
export class IdentityCache {
  readonly #lookup: (id: string) => Promise<IdentityView | undefined>;
  readonly #ttlMs: number;
  readonly #clock: () => number;
  readonly #entries = new Map<string, { view: IdentityView; until: number }>();

  constructor(lookup: (id: string) => Promise<IdentityView | undefined>, options: { ttlMs?: number; clock?: () => number } = {}) {
    this.#lookup = lookup;
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#clock = options.clock ?? Date.now;
  }

  /** The identity, from the cache or the peer (an unknown one is not kept here). */
  async get(id: string): Promise<IdentityView | undefined> {
    const hit = this.#entries.get(id);
    if (hit && hit.until > this.#clock()) return hit.view;
    const view = await this.#lookup(id);
    if (view) this.#entries.set(id, { view, until: this.#clock() + this.#ttlMs });
    else this.#entries.delete(id);
    return view;
  }

  /** Forgets every identity: called for each identity event the index applies. */
  clear(): void {
    this.#entries.clear();
  }
}
