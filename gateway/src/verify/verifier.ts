import { verifyDocument, type CityId, type ProofLookup, type StatusReasonLookup, type VerificationBundle } from '@jcc/domain';
import type { Clock } from '../lib/time.js';
import type { IndexState } from './index-view.js';
import type { LedgerView } from './ledger-view.js';
import type { Verdict } from './verdict.js';
import type { VerdictText, VerifyWorkers } from './verify-workers.js';

export type { ProofLookup } from '@jcc/domain';
export type { VerdictText } from './verify-workers.js';

/** What a {@link Verifier} needs. */
export interface VerifierOptions {
  /** The verifying city (this gateway's). */
  city: CityId;
  view: LedgerView;
  clock: Clock;
  /** Looks up a missing proof bundle (locally for own documents, else at the issuer's gateway). */
  findProof?: ProofLookup;
  /** Reads the reason of a revocation or replacement this gateway keeps (own documents). */
  findStatusReason?: StatusReasonLookup;
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
    const fromWorker = await this.#inWorker(input);
    return fromWorker ? (JSON.parse(fromWorker.json) as Verdict) : this.#here(input);
  }

  /**
   * The verdict on a bundle as JSON text (the same bytes as `JSON.stringify`
   * of {@link verify}'s verdict): what a worker answers is passed on as it
   * came, so the HTTP answer costs the main thread no serialisation.
   */
  async verifyJson(input: VerificationBundle): Promise<VerdictText> {
    const fromWorker = await this.#inWorker(input);
    if (fromWorker) return fromWorker;
    const verdict = await this.#here(input);
    return { json: JSON.stringify(verdict), valid: verdict.valid };
  }

  /** A worker's verdict, or `undefined` when there is none to ask or it handed the bundle back. */
  async #inWorker(input: VerificationBundle): Promise<VerdictText | undefined> {
    const { city, clock, skewMs, workers } = this.#options;
    if (!workers || !workers.state.caughtUp) return undefined;
    const context = { verifyingCity: city, nowMs: clock(), caughtUp: true, height: workers.state.height };
    return workers.pool.verify(input, skewMs !== undefined ? { ...context, skewMs } : context, workers.onLookups);
  }

  /** Verifies on this thread, over the view. */
  #here(input: VerificationBundle): Promise<Verdict> {
    const { city, view, clock, findProof, findStatusReason, skewMs } = this.#options;
    return verifyDocument(input, view, {
      verifyingCity: city,
      now: new Date(clock()),
      ...(findProof ? { findProof } : {}),
      ...(findStatusReason ? { findStatusReason } : {}),
      ...(skewMs !== undefined ? { skewMs } : {}),
    });
  }
}
