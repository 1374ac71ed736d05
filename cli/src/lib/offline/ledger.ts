import type {
  BatchRecord,
  CityId,
  DocumentAnchorRecord,
  DocumentFacts,
  DocumentStatusRecord,
  KeyRecord,
  LedgerPort,
  RecognitionQuestion,
  RecognitionVerdict,
  WithBlock,
} from '@jcc/domain';

/**
 * The ledger's records, as the chaincode returns them: the domain's one
 * definition (`@jcc/domain`), not a looser copy of the CLI's own.
 */
export type { KeyRecord, DocumentAnchorRecord as AnchorRecord, DocumentStatusRecord as StatusRecord, BatchRecord } from '@jcc/domain';

/** `recognition:IsRecognised`. */
export interface RecognitionAnswer {
  recognised: boolean;
  basis: 'agreement' | 'record' | 'none' | string;
  agreementId?: string;
  decision?: string;
}

/** What a transaction found by id on the ledger says about a batch anchor (read through qscc). */
export interface AnchorTransaction {
  /** Fabric validation code; 0 is VALID. */
  validationCode: number;
  /** MSP id of the submitter. */
  creatorMspId: string;
  /** Chaincode name and transaction name, e.g. `creditchain`, `reports:AnchorBatch`. */
  chaincode: string;
  fn: string;
  /** The JSON input of the transaction. */
  input: unknown;
}

/**
 * Read-only access to the ledger that offline verification needs. The Fabric
 * implementation lives in fabric.ts; unit tests use an in-memory one.
 * Verification reads it through {@link OfflineLedgerPort}.
 * Every method returns `undefined` for a record the ledger does not have.
 */
export interface LedgerReader {
  getKey(city: CityId, kid: string): Promise<KeyRecord | undefined>;
  getDocument(city: CityId, id: string): Promise<{ anchor?: DocumentAnchorRecord; status?: DocumentStatusRecord } | undefined>;
  getBatch(city: CityId, batchId: string): Promise<BatchRecord | undefined>;
  isRecognised(input: {
    issuerCity: CityId;
    documentId: string;
    docType: string;
    recognisingCity: CityId;
    at: string;
  }): Promise<RecognitionAnswer>;
  /** The transaction with this id, when the ledger can be asked for one. */
  getTransaction?(txId: string): Promise<AnchorTransaction | undefined>;
  /** The number of the block holding this transaction, when known. */
  getBlockNumber?(txId: string): Promise<number | undefined>;
  /** Number of blocks in the channel's ledger, when the connection can tell. */
  getChainHeight?(): Promise<number>;
}

/**
 * The verification core's port over a {@link LedgerReader} (the CLI's
 * offline Fabric reader): it only passes the ledger's records on, with the
 * block numbers of their transactions; the core judges them.
 */
export class OfflineLedgerPort implements LedgerPort {
  readonly source = 'peer' as const;
  readonly #reader: LedgerReader;

  constructor(reader: LedgerReader) {
    this.#reader = reader;
  }

  async height(): Promise<number | null> {
    return this.#reader.getChainHeight ? this.#reader.getChainHeight() : null;
  }

  async key(city: CityId, kid: string): Promise<KeyRecord | undefined> {
    return this.#reader.getKey(city, kid);
  }

  async document(city: CityId, id: string): Promise<DocumentFacts | undefined> {
    const record = await this.#reader.getDocument(city, id);
    if (!record) return undefined;
    const facts = {} as DocumentFacts;
    if (record.anchor) facts.anchor = await this.#withBlock(record.anchor);
    if (record.status) facts.status = record.status;
    return facts;
  }

  async batch(city: CityId, batchId: string): Promise<WithBlock<BatchRecord> | undefined> {
    const record = await this.#reader.getBatch(city, batchId);
    return record ? await this.#withBlock(record) : undefined;
  }

  async recognition(question: RecognitionQuestion): Promise<RecognitionVerdict> {
    return (await this.#reader.isRecognised(question)) as RecognitionVerdict;
  }

  async #withBlock<T extends { txId: string }>(record: T): Promise<T & { blockNumber?: number }> {
    const block = this.#reader.getBlockNumber ? await this.#reader.getBlockNumber(record.txId).catch(() => undefined) : undefined;
    return block === undefined ? record : { ...record, blockNumber: block };
  }
}
