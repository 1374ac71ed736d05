import type { CityId, LedgerPort } from '@jcc/domain';

export type { DocumentFacts, RecognitionQuestion, WithBlock } from '@jcc/domain';

/**
 * The ledger state the gateway reads: the verification core's port
 * ({@link LedgerPort}, also used by token checks for registered keys) and
 * the gateway URLs cities recorded. Implemented over a peer query per call
 * ({@link PeerView}) and over the local index with the peer as fallback
 * ({@link IndexView}). Neither decides validity: the core in `@jcc/domain` does.
 */
export interface LedgerView extends LedgerPort {
  /** The gateway URL a city recorded on the ledger, if any. */
  gatewayUrl(city: CityId): Promise<string | undefined>;
}
