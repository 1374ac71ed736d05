import assert from 'node:assert/strict';
import type { ServiceError } from '@grpc/grpc-js';
import { CommitStatusError, StatusCode, type Network, type Status } from '@hyperledger/fabric-gateway';
import { LedgerUnavailableError } from './errors.js';
import { FabricLedger } from './ledger.js';

const TX_ID = 'tx-1';
const INPUT = { id: 'qd-1', reasonHash: 'a'.repeat(64) };

/** What one copy of the transaction's envelope gets when its commit status is asked: in turn, a status code or no answer in time. */
type Answer = Status['code'] | 'no-status';

/**
 * A network whose one transaction is endorsed once and submitted as often as
 * the ledger sends it; `copies[i]` scripts the commit-status answers of the
 * i-th copy sent.
 */
function fakeNetwork(copies: Answer[][]): { network: Network; sent: () => number } {
  let sent = 0;
  const statusOf = (code: Status['code']): Status => ({
    blockNumber: 7n,
    code,
    successful: code === StatusCode.VALID,
    transactionId: TX_ID,
  });
  const transaction = {
    async submit() {
      const answers = [...(copies[sent++] ?? [])];
      return {
        getResult: () => new TextEncoder().encode(JSON.stringify({ revoked: true })),
        async getStatus(options?: { deadline?: number }): Promise<Status> {
          const answer = answers.shift() ?? 'no-status';
          if (answer !== 'no-status') return statusOf(answer);
          await new Promise((r) => setTimeout(r, Math.max(0, (options?.deadline ?? Date.now()) - Date.now())));
          throw new CommitStatusError({
            code: 4,
            details: [],
            cause: Object.assign(new Error('deadline exceeded'), { code: 4 }) as unknown as ServiceError,
            transactionId: TX_ID,
            message: '4 DEADLINE_EXCEEDED: Deadline exceeded',
          });
        },
      };
    },
  };
  const network = {
    getContract: () => ({ newProposal: () => ({ endorse: async () => transaction }) }),
  } as unknown as Network;
  return { network, sent: () => sent };
}

describe('FabricLedger: waiting for a commit', function () {
  const commitWait = { resendAfterMs: 50, deadlineMs: 400 };

  it('sends the same envelope again when no commit status comes (an orderer lost it), and commits once', async function () {
    const { network, sent } = fakeNetwork([['no-status'], [StatusCode.VALID]]);
    const resent: string[] = [];
    const ledger = new FabricLedger(network, 'jcc', undefined, { commitWait, onResend: (t) => resent.push(t) });
    const committed = await ledger.submit<{ revoked: boolean }>('reports:RevokeDocument', INPUT);
    assert.deepEqual(committed, { result: { revoked: true }, transactionId: TX_ID, blockNumber: 7n });
    assert.equal(sent(), 2);
    assert.deepEqual(resent, ['reports:RevokeDocument']);
  });

  it('answers for the first copy when both were ordered (the second one is the DUPLICATE_TXID)', async function () {
    const { network } = fakeNetwork([['no-status'], [StatusCode.DUPLICATE_TXID, StatusCode.VALID]]);
    const committed = await new FabricLedger(network, 'jcc', undefined, { commitWait }).submit('reports:RevokeDocument', INPUT);
    assert.equal(committed.transactionId, TX_ID);
  });

  it('does not send again when the status comes in time', async function () {
    const { network, sent } = fakeNetwork([[StatusCode.VALID]]);
    await new FabricLedger(network, 'jcc', undefined, { commitWait }).submit('reports:RevokeDocument', INPUT);
    assert.equal(sent(), 1);
  });

  it('gives up as unavailable once the whole deadline passed without a status, having sent the envelope every round', async function () {
    const { network, sent } = fakeNetwork([]);
    const started = Date.now();
    await assert.rejects(
      new FabricLedger(network, 'jcc', undefined, { commitWait }).submit('reports:RevokeDocument', INPUT),
      (err) => err instanceof LedgerUnavailableError,
    );
    const waited = Date.now() - started;
    assert.ok(waited >= commitWait.deadlineMs - 10 && waited < commitWait.deadlineMs + 300, `waited ${waited} ms`);
    assert.ok(sent() >= 6 && sent() <= 9, `sent ${sent()} copies`);
  });
});
