import { verifyDocument, type CityId, type ProofLookup, type VerificationBundle } from '@jcc/domain';
import type { Clock } from '../lib/time.js';
import type { LedgerView } from './ledger-view.js';
import type { Verdict } from './verdict.js';

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
}

/**
 * The gateway's door to the verification core: runs `verifyDocument` of
 * `@jcc/domain` over this gateway's ledger view, as this gateway's city, at
 * the clock's now. It decides nothing itself (docs/verification.md).
 */
export class Verifier {
  readonly #options: VerifierOptions;

  constructor(options: VerifierOptions) {
    this.#options = options;
  }

  /** The verdict on a bundle `{jws, proof?}`. */
  verify(input: VerificationBundle): Promise<Verdict> {
    const { city, view, clock, findProof, skewMs } = this.#options;
    return verifyDocument(input, view, {
      verifyingCity: city,
      now: new Date(clock()),
      ...(findProof ? { findProof } : {}),
      ...(skewMs !== undefined ? { skewMs } : {}),
    });
  }
}
