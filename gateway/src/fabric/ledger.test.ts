import assert from 'node:assert/strict';
import type { ServiceError } from '@grpc/grpc-js';
import { CommitStatusError, StatusCode, type Network, type Status } from '@hyperledger/fabric-gateway';
import { LedgerUnavailableError } from './errors.js';
import { FabricLedger } from './ledger.js';

const TX_ID = 'tx-1';
const INPUT = { id: 'qd-1', reasonHash: 'a'.repeat(64) };

/**
 * How the fake ordering service treats the copies of the one transaction: `commitsWith` is the copy (1-based) whose
 * send gets it committed (none: never), `sendMs` how long each send after the first takes (an ordering service without
 * a quorum holds it), `duplicateFirst` makes the first status asked after a resend the copy's `DUPLICATE_TXID`.
 */
interface Ordering {
  commitsWith?: number;
  sendMs?: number;
  duplicateFirst?: boolean;
}

/** A network whose one transaction is endorsed once and sent as often as the ledger sends it; its status is by transaction id. */
function fakeNetwork(ordering: Ordering): { network: Network; sent: () => number; commit: () => void } {
  let sent = 0;
  let committed = false;
  let duplicateShown = false;
  const statusOf = (code: Status['code']): Status => ({
    blockNumber: 7n,
    code,
    successful: code === StatusCode.VALID,
    transactionId: TX_ID,
  });
  const submitted = {
    getResult: () => new TextEncoder().encode(JSON.stringify({ revoked: true })),
    async getStatus(options?: { deadline?: number }): Promise<Status> {
      const deadline = options?.deadline ?? Date.now();
      while (!committed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      if (!committed)
        throw new CommitStatusError({
          code: 4,
          details: [],
          cause: Object.assign(new Error('deadline exceeded'), { code: 4 }) as unknown as ServiceError,
          transactionId: TX_ID,
          message: '4 DEADLINE_EXCEEDED: Deadline exceeded',
        });
      if (ordering.duplicateFirst && sent > 1 && !duplicateShown) {
        duplicateShown = true;
        return statusOf(StatusCode.DUPLICATE_TXID);
      }
      return statusOf(StatusCode.VALID);
    },
  };
  const transaction = {
    async submit() {
      const copy = ++sent;
      if (copy > 1 && ordering.sendMs) await new Promise((r) => setTimeout(r, ordering.sendMs).unref());
      if (copy === ordering.commitsWith) committed = true;
      return submitted;
    },
  };
  const network = {
    getContract: () => ({ newProposal: () => ({ endorse: async () => transaction }) }),
  } as unknown as Network;
  return {
    network,
    sent: () => sent,
    commit: () => {
      committed = true;
    },
  };
}

describe('FabricLedger: waiting for a commit', function () {
  const commitWait = { resendAfterMs: 50, deadlineMs: 400 };

  it('sends the same envelope again when no commit status comes (an orderer lost it), and commits once', async function () {
    const { network, sent } = fakeNetwork({ commitsWith: 2 });
    const resent: string[] = [];
    const ledger = new FabricLedger(network, 'jcc', undefined, { commitWait, onResend: (t) => resent.push(t) });
    const committed = await ledger.submit<{ revoked: boolean }>('reports:RevokeDocument', INPUT);
    assert.deepEqual(committed, { result: { revoked: true }, transactionId: TX_ID, blockNumber: 7n });
    assert.equal(sent(), 2);
    assert.deepEqual(resent, ['reports:RevokeDocument']);
  });

  it('answers for the first copy when both were ordered (the second one is the DUPLICATE_TXID)', async function () {
    const { network } = fakeNetwork({ commitsWith: 2, duplicateFirst: true });
    const committed = await new FabricLedger(network, 'jcc', undefined, { commitWait }).submit('reports:RevokeDocument', INPUT);
    assert.equal(committed.transactionId, TX_ID);
  });

  it('does not send again when the status comes in time', async function () {
    const { network, sent } = fakeNetwork({ commitsWith: 1 });
    await new FabricLedger(network, 'jcc', undefined, { commitWait }).submit('reports:RevokeDocument', INPUT);
    assert.equal(sent(), 1);
  });

  it('gives up as unavailable once the whole deadline passed without a status, having sent the envelope every round', async function () {
    const { network, sent } = fakeNetwork({});
    const started = Date.now();
    await assert.rejects(
      new FabricLedger(network, 'jcc', undefined, { commitWait }).submit('reports:RevokeDocument', INPUT),
      (err) => err instanceof LedgerUnavailableError,
    );
    const waited = Date.now() - started;
    assert.ok(waited >= commitWait.deadlineMs - 10 && waited < commitWait.deadlineMs + 300, `waited ${waited} ms`);
    assert.ok(sent() >= 6 && sent() <= 9, `sent ${sent()} copies`);
  });

  it('keeps watching the status while a resend is held (no quorum): the first copy committing answers at once', async function () {
    // The resend hangs for longer than the whole wait; the first copy commits 80 ms in, after the first round.
    const { network, sent, commit } = fakeNetwork({ sendMs: 10_000 });
    const ledger = new FabricLedger(network, 'jcc', undefined, { commitWait });
    const started = Date.now();
    const pending = ledger.submit('reports:RevokeDocument', INPUT);
    await new Promise((r) => setTimeout(r, 80));
    commit();
    await pending;
    assert.ok(Date.now() - started < 1000, `answered after ${Date.now() - started} ms`);
    assert.equal(sent(), 2, 'one resend, still held');
  });
});
