import { verifyDocument, type CityId, type ProofLookup, type VerificationBundle } from '@jcc/domain';
import type { Clock } from '../lib/time.js';
import type { IndexState } from './index-view.js';
import type { LedgerView } from './ledger-view.js';
import type { Verdict } from './verdict.js';
import type { VerifyWorkers } from './verify-workers.js';

export type { ProofLookup } from '@jcc/domain';

/** What a {@link Verifier} needs. */
export interface VerifierOptions {
  /** The verifying city (this gateway's). */
  city: CityId;
  view: LedgerView;
  clock: Clock;
  /** Looks up a missing proof bundle (locally for own documents, else at the issuer's gateway). */
  findProof?: ProofLookup;
  /** Tolerated clock skew when comparing issue times with now (ms). */
  skewMs?: number;
  /**
   * Worker threads verifying over copies of the index's tables, with the
   * index's state: while the index is caught up, verifications go to them;
   * what they hand back is verified here over `view`.
   */
  workers?: { pool: VerifyWorkers; state: IndexState; onLookups?(lookups: string[]): void };
}

/**
 * The gateway's door to the verification core: runs `verifyDocument` of
 * `@jcc/domain` over this gateway's ledger view, as this gateway's city, at
 * the clock's now, in a verification worker when there are any. It decides
 * nothing itself (docs/verification.md).
 */
export class Verifier {
  readonly #options: VerifierOptions;

  constructor(options: VerifierOptions) {
    this.#options = options;
  }

  /** The verdict on a bundle `{jws, proof?}`. */
  async verify(input: VerificationBundle): Promise<Verdict> {
    const { city, view, clock, findProof, skewMs, workers } = this.#options;
    const nowMs = clock();
    if (workers && workers.state.caughtUp) {
      const context = { verifyingCity: city, nowMs, caughtUp: true, height: workers.state.height };
      const verdict = await workers.pool.verify(input, skewMs !== undefined ? { ...context, skewMs } : context, workers.onLookups);
      if (verdict) return verdict;
    }
    return verifyDocument(input, view, {
      verifyingCity: city,
      now: new Date(nowMs),
      ...(findProof ? { findProof } : {}),
      ...(skewMs !== undefined ? { skewMs } : {}),
    });
  }
}
