import { verifyDocument, type CityId, type Verdict, type VerificationBundle } from '@jcc/domain';
import { OfflineLedgerPort, type LedgerReader } from './ledger.js';

/** Options of {@link verifyOffline}. */
export interface OfflineVerifyOptions {
  /** The city whose recognition is checked (the verifying city). */
  recognisingCity: CityId;
  /** Current time (tests); defaults to now. */
  now?: Date;
}

/** The verdict of offline verification: the core's verdict and how it was reached. */
export interface OfflineVerificationResult extends Verdict {
  mode: 'offline';
  /** SHA-256 of the signed document's text, hex: the hash anchored on the ledger (the verdict's `contentHash`). */
  documentHash: string | null;
  /** The city whose peer answered the ledger queries. */
  ledgerCity?: CityId;
}

/**
 * Verifies a document against the ledger alone, with no gateway: the
 * verification core of `@jcc/domain` (the one `POST /api/v1/verify` runs)
 * over the ledger reader. The bundle is verified exactly as given.
 */
export async function verifyOffline(
  bundle: VerificationBundle,
  ledger: LedgerReader,
  options: OfflineVerifyOptions,
): Promise<OfflineVerificationResult> {
  const verdict = await verifyDocument(bundle, new OfflineLedgerPort(ledger), {
    verifyingCity: options.recognisingCity,
    now: options.now ?? new Date(),
  });
  return { ...verdict, mode: 'offline', documentHash: verdict.contentHash };
}
