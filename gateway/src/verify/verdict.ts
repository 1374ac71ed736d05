import type { CityId, DocumentType, RecognitionVerdict } from '@jcc/domain';

/** Names of the checks, in the order they are reported. */
export const CHECK_NAMES = ['signature', 'issuerKey', 'anchored', 'status', 'notExpired', 'recognised'] as const;
/** One of the checks. */
export type CheckName = (typeof CHECK_NAMES)[number];
/** The checks that decide validity (all but `recognised`). */
export const VALIDITY_CHECKS: readonly CheckName[] = ['signature', 'issuerKey', 'anchored', 'status', 'notExpired'];

/** The outcome of one check, with a sentence saying why. */
export interface CheckResult {
  check: CheckName;
  ok: boolean;
  detail: string;
}

/** How a document's hash was found on the ledger. */
export interface AnchorFacts {
  mode: 'single' | 'batch' | null;
  txId: string | null;
  blockNumber: number | null;
  anchoredAt?: string;
  batchId?: string;
  root?: string;
  leafIndex?: number;
  treeSize?: number;
}

/**
 * The answer of a verification: each check separately; `valid` when the
 * document is authentic and in force (every check but `recognised` passed).
 */
export interface Verdict {
  valid: boolean;
  checks: CheckResult[];
  issuer: { city: CityId; mspId: string; name: string; nameZh: string } | null;
  document: { id: string; type: DocumentType; issuedAt: string; validUntil: string } | null;
  anchor: AnchorFacts;
  recognition: (RecognitionVerdict & { city: CityId }) | null;
  /** SHA-256 of the JWS, hex: the value anchored on the ledger. */
  contentHash: string | null;
  verifiedBy: CityId;
  verifiedAt: string;
  /** Where the ledger state came from: the local index or a peer query. */
  source: 'index' | 'peer';
}
