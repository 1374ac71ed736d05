/**
 * Conformance vectors of verification: the format of a vector, and an
 * in-memory ledger port holding exactly a vector's ledger facts.
 * The vectors themselves (vectors/*.json) are written by generate.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  CheckName,
  CheckState,
  CityId,
  DocumentFacts,
  DocumentType,
  KeyRecord,
  LedgerPort,
  ProofBundle,
  PublicJwk,
  RecognitionQuestion,
  RecognitionVerdict,
  SignatureResult,
  Verdict,
  WithBlock,
  BatchRecord,
} from '@jcc/domain';

/** A key as a vector registers it (`cities:RegisterKey` input plus its city). */
export interface VectorKey {
  city: CityId;
  use: 'document' | 'gateway';
  jwk: PublicJwk;
  validFrom: string;
  validTo?: string;
}

/** A single anchor (`reports:AnchorDocument` input plus its city). */
export interface VectorAnchor {
  city: CityId;
  id: string;
  docType: DocumentType;
  subjectPseudonym: string;
  contentHash: string;
  issuedAt: string;
  validUntil: string;
  kid: string;
  /** SM3 of the signed document's text, anchored beside `contentHash` by SM2-configured issuers. */
  contentHashSm3?: string;
}

/** A batch anchor (`reports:AnchorBatch` input plus its city). */
export interface VectorBatch {
  city: CityId;
  batchId: string;
  root: string;
  leafCount: number;
  leafScheme: string;
  /** The `rfc9162-sm3/v1` root over the documents' SM3 content hashes, anchored by SM2-configured issuers. */
  rootSm3?: string;
  /** `rfc9162-sm3/v1` with `rootSm3`. */
  leafSchemeSm3?: string;
  firstIssuedAt: string;
  lastIssuedAt: string;
}

/** A status change (`reports:RevokeDocument` / `reports:SupersedeDocument` input plus its city). */
export interface VectorStatus {
  city: CityId;
  id: string;
  status: 'revoked' | 'superseded';
  /** Salted SHA-256 of the reason (the text stays in the issuing gateway). */
  reasonHash: string;
  replacementId?: string;
}

/**
 * A recognition decision (`recognition:RecordRecognition` input plus the recognising city), with the
 * reason as text: the ledger gets its salted SHA-256 (`reasonHash`), which the loader computes.
 */
export interface VectorRecognition {
  recognisingCity: CityId;
  issuerCity: CityId;
  documentId: string;
  decision: 'accepted' | 'rejected';
  reason: string;
  /** The batch of a batch-anchored document (the ledger refuses recognising a document it does not hold). */
  batchId?: string;
}

/** The ledger facts of a vector, in the order they are written. */
export interface VectorLedger {
  keys: VectorKey[];
  anchors: VectorAnchor[];
  batches: VectorBatch[];
  statuses: VectorStatus[];
  recognitions: VectorRecognition[];
}

/** What a vector expects of one check. */
export interface ExpectedCheck {
  check: CheckName;
  state: CheckState;
  reason: string;
}

/** One conformance vector. */
export interface ConformanceVector {
  name: string;
  description: string;
  verifyingCity: CityId;
  now: string;
  bundle: { jws: string; proof?: ProofBundle };
  ledger: VectorLedger;
  /** `signatures`, when given, is what the `signature` check's list must say, signature by signature. */
  expected: { valid: boolean; checks: ExpectedCheck[]; signatures?: SignatureResult[] };
}

/** The folder of the committed vectors. */
export const VECTORS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'vectors');

/** The committed vectors, by file name order. */
export function loadVectors(): ConformanceVector[] {
  return readdirSync(VECTORS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(VECTORS_DIR, f), 'utf8')) as ConformanceVector);
}

/**
 * What a verdict says per check, in the form `vector` expects (with the
 * `signature` check's list of signatures when the vector names them).
 */
export function verdictOutline(verdict: Pick<Verdict, 'valid' | 'checks'>, vector: ConformanceVector): ConformanceVector['expected'] {
  const outline: ConformanceVector['expected'] = {
    valid: verdict.valid,
    checks: verdict.checks.map(({ check, state, reason }) => ({ check, state, reason })),
  };
  if (vector.expected.signatures) outline.signatures = verdict.checks.find((c) => c.check === 'signature')?.signatures ?? [];
  return outline;
}

const LEDGER_TIME = '2026-01-01T00:00:00.000Z';

/** A ledger port holding exactly a vector's facts (transaction ids and times invented). */
export class MemoryPort implements LedgerPort {
  readonly source = 'index' as const;
  readonly #ledger: VectorLedger;

  constructor(ledger: VectorLedger) {
    this.#ledger = ledger;
  }

  async height(): Promise<number | null> {
    return 1;
  }

  async key(city: CityId, kid: string): Promise<KeyRecord | undefined> {
    const key = this.#ledger.keys.find((k) => k.city === city && k.jwk.kid === kid);
    return key && { ...key, kid, registeredAt: LEDGER_TIME, txId: `tx.key.${kid}` };
  }

  async document(city: CityId, id: string): Promise<DocumentFacts | undefined> {
    const anchor = this.#ledger.anchors.find((a) => a.city === city && a.id === id);
    const status = this.#ledger.statuses.find((s) => s.city === city && s.id === id);
    if (!anchor && !status) return undefined;
    const facts: DocumentFacts = {};
    if (anchor) facts.anchor = { ...anchor, status: 'active', anchoredAt: LEDGER_TIME, txId: `tx.anchor.${id}`, blockNumber: 1 };
    if (status) facts.status = { ...status, at: LEDGER_TIME, txId: `tx.status.${id}` };
    return facts;
  }

  async batch(city: CityId, batchId: string): Promise<WithBlock<BatchRecord> | undefined> {
    const batch = this.#ledger.batches.find((b) => b.city === city && b.batchId === batchId);
    return batch && { ...batch, anchoredAt: LEDGER_TIME, txId: `tx.batch.${batchId}`, blockNumber: 1 };
  }

  async recognition(q: RecognitionQuestion): Promise<RecognitionVerdict> {
    const record = this.#ledger.recognitions.find(
      (r) => r.recognisingCity === q.recognisingCity && r.issuerCity === q.issuerCity && r.documentId === q.documentId,
    );
    return record
      ? { recognised: record.decision === 'accepted', basis: 'record', decision: record.decision }
      : { recognised: false, basis: 'none' };
  }
}
