/**
 * Read-your-region's-writes for submissions: a write at city B that names a
 * record city A committed a moment ago can be endorsed before A's block has
 * reached B's peer (or another endorser's), and the chaincode then answers
 * `NOT_FOUND`. {@link submitCatchingUp} gives the peer a bounded time to catch
 * up before that answer stands. See docs/consistency.md.
 *
 * @packageDocumentation
 */
import { PollTimeoutError, sleep, until } from '@jcc/network/polling';
import { isEndorserMismatch, LedgerRefusedError } from './errors.js';

/** How {@link submitCatchingUp} waits. */
export interface CatchUpOptions {
  /** Longest total wait for the peer to catch up (ms); 0 answers the first `NOT_FOUND` at once. */
  timeoutMs: number;
  /**
   * How long the peer may receive no block before the wait ends (ms): an idle
   * peer has every block there is, so the record does not exist. Default 2 s.
   */
  quietMs?: number;
  /** Pause between reads of the peer's height (ms). Default 50 ms. */
  pollMs?: number;
}

/** True for the chaincode's `NOT_FOUND` refusal, the one a lagging peer gives. */
export function isNotFound(error: unknown): boolean {
  return error instanceof LedgerRefusedError && error.code === 'NOT_FOUND';
}

/**
 * Runs `attempt` (one endorsement + ordering + commit); when the endorsers
 * disagree ({@link isEndorserMismatch}), tries again after a pause of
 * `4 × pollMs` (the lagging one catches up within a block or two); when the chaincode
 * refuses it `NOT_FOUND`, waits for the local peer's block height to grow and
 * tries again, for as long as blocks keep arriving and at most
 * `options.timeoutMs`. When the peer stays idle for `quietMs`, one last attempt
 * is made (another endorser may have been the one behind) and its answer
 * stands. Retrying is safe: a refused endorsement ordered nothing.
 *
 * @param attempt One submission.
 * @param height The local peer's block height.
 * @throws whatever the last attempt threw.
 */
export async function submitCatchingUp<T>(attempt: () => Promise<T>, height: () => Promise<bigint>, options: CatchUpOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const quietMs = options.quietMs ?? 2000;
  const pollMs = options.pollMs ?? 50;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      const left = deadline - Date.now();
      if (left > 0 && isEndorserMismatch(err)) {
        await sleep(Math.min(4 * pollMs, left));
        continue;
      }
      if (!isNotFound(err) || left <= 0) throw err;
      const seen = await height().catch(() => undefined);
      if (seen === undefined) throw err;
      const grew = await until(height, (h) => h > seen, {
        timeoutMs: Math.min(quietMs, left),
        intervalMs: pollMs,
        what: 'a new block',
      }).then(
        () => true,
        (waitError: unknown) => {
          if (waitError instanceof PollTimeoutError) return false;
          throw waitError;
        },
      );
      if (!grew) return attempt();
    }
  }
}
