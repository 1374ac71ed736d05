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
