import { Context, Contract } from 'fabric-contract-api';
import {
  acceptAgreementInput,
  cityById,
  CodedError,
  endAgreementInput,
  getAgreementInput,
  getRecognitionsInput,
  instantMillis,
  isAgreementInForceAt,
  isRecognisedInput,
  LEDGER_EVENTS,
  listAgreementsInput,
  proposeAgreementInput,
  recordRecognitionInput,
  type AgreementView,
  type CityId,
  type DocumentType,
  type RecognitionDecisionRecord,
  type RecognitionRecord,
  type RecognitionVerdict,
} from '@jcc/domain';
import { Returns, Transaction } from '../lib/decorators.js';
import { emitEvent } from '../lib/events.js';
import { assertSameContent, assertState, found } from '../lib/guards.js';
import { parseInput } from '../lib/input.js';
import { assertOnLedger } from '../lib/references.js';
import { compositeKey, OBJECT_TYPES } from '../lib/keys.js';
import { readAllKeys, readPage } from '../lib/pagination.js';
import { jsonResult } from '../lib/result.js';
import { readSealedRecord, sealedRecordOf, writeSealedRecord } from '../lib/seal.js';
import { writeIndex, writeRecord } from '../lib/state.js';
import { submittingCity } from '../lib/submitter.js';
import { txTimestamp } from '../lib/txTime.js';

/** The proposal of an agreement, owned by the proposer (`city`). */
interface ProposalRecord {
  /** The proposer, owner of the record. */
  city: CityId;
  agreementId: string;
  proposer: CityId;
  counterparty: CityId;
  docTypes: DocumentType[];
  validFrom: string;
  validTo: string;
  proposedAt: string;
  txId: string;
}

/**
 * The counterparty's side of an agreement, owned by the counterparty
 * (`city`). The proposal creates it, not yet accepted, so that accepting
 * (rewriting it) needs the counterparty's own peer.
 */
interface AcceptanceRecord {
  /** The counterparty, owner of the record. */
  city: CityId;
  agreementId: string;
  accepted: boolean;
  acceptedAt?: string;
  txId: string;
}

/** The end of an agreement, owned by the party that ended it (`city`). */
interface EndRecord {
  city: CityId;
  agreementId: string;
  /** Salted SHA-256 of the reason (the text stays in the ending city's gateway). */
  reasonHash: string;
  endedAt: string;
  txId: string;
}

/** Fields of a proposal that must match for a re-proposal to be idempotent. */
const PROPOSAL_CONTENT: readonly (keyof ProposalRecord)[] = ['counterparty', 'docTypes', 'validFrom', 'validTo'];

/**
 * `recognition`: mutual recognition (互认). Agreements between two cities
 * (the cooperation memorandum on the ledger), and one city's explicit
 * decision on another city's document.
 *
 * An agreement is kept as three records, each owned by one party and so
 * protected by that party's key-level policy: the proposal (proposer), the
 * acceptance (counterparty; created unaccepted with the proposal) and, once
 * ended, the end (the party that ended it). Every change rewrites a record of
 * the acting party, so it needs that party's own peer. `GetAgreement`
 * combines them.
 */
export class RecognitionContract extends Contract {
  constructor() {
    super('recognition');
  }

  /** Proposes an agreement with another city. Idempotent for the same content. */
  @Transaction()
  @Returns('string')
  async ProposeAgreement(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(proposeAgreementInput, inputJson);
    if (input.counterparty === city.id) throw new CodedError('INVALID_ARGUMENT', 'counterparty: must be another city than the proposer');
    const key = proposalKey(ctx, input.agreementId);
    const existing = await readProposal(ctx, input.agreementId);
    if (existing) {
      if (existing.proposer !== city.id) {
        throw new CodedError('CONFLICT', `agreement ${input.agreementId} already exists, proposed by ${existing.proposer}`);
      }
      assertSameContent(existing, input, PROPOSAL_CONTENT, `agreement ${input.agreementId}`);
      return jsonResult(await agreementView(ctx, existing));
    }
    const txId = ctx.stub.getTxID();
    const proposal: ProposalRecord = {
      city: city.id,
      agreementId: input.agreementId,
      proposer: city.id,
      counterparty: input.counterparty,
      docTypes: input.docTypes,
      validFrom: input.validFrom,
      validTo: input.validTo,
      proposedAt: txTimestamp(ctx),
      txId,
    };
    const acceptance: AcceptanceRecord = { city: input.counterparty, agreementId: input.agreementId, accepted: false, txId };
    await writeSealedRecord(ctx, key, proposal, city);
    // A placeholder, unsealed: it counts for nothing, but gives the key the counterparty's key-level policy.
    await writeRecord(ctx, acceptanceKey(ctx, input.agreementId), acceptance, cityById(input.counterparty));
    await writeIndex(ctx, compositeKey(ctx, OBJECT_TYPES.agreementByCity, [city.id, input.counterparty, input.agreementId]), city);
    await writeIndex(ctx, compositeKey(ctx, OBJECT_TYPES.agreementByCity, [input.counterparty, city.id, input.agreementId]), city);
    const view = combine(proposal, acceptance, undefined);
    await emitEvent(ctx, LEDGER_EVENTS.agreementProposed, view, city.id);
    return jsonResult(view);
  }

  /** Accepts a proposed agreement; only its counterparty may, before it ends or expires. It becomes active for its whole validity window. */
  @Transaction()
  @Returns('string')
  async AcceptAgreement(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(acceptAgreementInput, inputJson);
    const proposal = found(await readProposal(ctx, input.agreementId), `agreement ${input.agreementId}`);
    if (proposal.counterparty !== city.id) {
      throw new CodedError('FORBIDDEN', `only ${proposal.counterparty}, the counterparty, may accept agreement ${input.agreementId}`);
    }
    const current = await agreementView(ctx, proposal);
    assertState(current.state === 'proposed', `agreement ${input.agreementId} is ${current.state}`);
    const now = txTimestamp(ctx);
    assertState(instantMillis(now) < instantMillis(proposal.validTo), `agreement ${input.agreementId} expired at ${proposal.validTo}`);
    const acceptance: AcceptanceRecord = {
      city: city.id,
      agreementId: input.agreementId,
      accepted: true,
      acceptedAt: now,
      txId: ctx.stub.getTxID(),
    };
    await writeSealedRecord(ctx, acceptanceKey(ctx, input.agreementId), acceptance, city);
    const view = combine(proposal, acceptance, undefined);
    await emitEvent(ctx, LEDGER_EVENTS.agreementAccepted, view, city.id);
    return jsonResult(view);
  }

  /** Ends an agreement (proposed or active); either party may. */
  @Transaction()
  @Returns('string')
  async EndAgreement(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(endAgreementInput, inputJson);
    const proposal = found(await readProposal(ctx, input.agreementId), `agreement ${input.agreementId}`);
    if (proposal.proposer !== city.id && proposal.counterparty !== city.id) {
      throw new CodedError(
        'FORBIDDEN',
        `only ${proposal.proposer} and ${proposal.counterparty}, its parties, may end agreement ${input.agreementId}`,
      );
    }
    const { acceptance, end: earlierEnd } = await agreementParts(ctx, proposal);
    assertState(earlierEnd === undefined, `agreement ${input.agreementId} already ended (by ${earlierEnd?.city})`);
    const end: EndRecord = {
      city: city.id,
      agreementId: input.agreementId,
      reasonHash: input.reasonHash,
      endedAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
    };
    // Sealed by the ending party: ending needs that party's own peer.
    await writeSealedRecord(ctx, endKey(ctx, input.agreementId), end, city);
    const view = combine(proposal, acceptance, end);
    await emitEvent(ctx, LEDGER_EVENTS.agreementEnded, view, city.id);
    return jsonResult(view);
  }

  /** One agreement, combined from its proposal, acceptance and end. */
  @Transaction(false)
  @Returns('string')
  async GetAgreement(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getAgreementInput, inputJson);
    const proposal = found(await readProposal(ctx, input.agreementId), `agreement ${input.agreementId}`);
    return jsonResult(await agreementView(ctx, proposal));
  }

  /** The agreements a city is party to, one page at a time (by other party, then agreement id). */
  @Transaction(false)
  @Returns('string')
  async ListAgreements(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(listAgreementsInput, inputJson);
    const page = await readPage(ctx, OBJECT_TYPES.agreementByCity, [input.city], input, async (entry) => {
      const agreementId = entry.attributes[2] as string;
      const proposal = await readProposal(ctx, agreementId);
      return proposal && agreementView(ctx, proposal);
    });
    return jsonResult(page);
  }

  /**
   * Records the submitting city's decision on another city's document. One
   * record per (recognising city, issuer city, document): a new decision
   * replaces the current one, which moves to `history`. Recording the
   * current decision again is a no-op.
   */
  @Transaction()
  @Returns('string')
  async RecordRecognition(ctx: Context, inputJson: string): Promise<string> {
    const city = submittingCity(ctx);
    const input = parseInput(recordRecognitionInput, inputJson);
    if (input.issuerCity === city.id)
      throw new CodedError('INVALID_ARGUMENT', 'issuerCity: must be another city than the recognising city');
    const key = recognitionKey(ctx, input.issuerCity, input.documentId, city.id);
    const existing = await readSealedRecord<RecognitionRecord>(ctx, key, city.id);
    if (existing && sameDecision(existing, input)) return jsonResult(existing);
    if (!existing) await assertOnLedger(ctx, input.issuerCity, input.documentId, input.batchId, 'documentId');
    if (input.agreementId !== undefined) await assertAgreementBetween(ctx, input.agreementId, city.id, input.issuerCity);
    const record: RecognitionRecord = {
      city: city.id,
      issuerCity: input.issuerCity,
      documentId: input.documentId,
      decision: input.decision,
      reasonHash: input.reasonHash,
      agreementId: input.agreementId,
      recordedAt: txTimestamp(ctx),
      txId: ctx.stub.getTxID(),
      history: existing ? [...existing.history, decisionOf(existing)] : [],
    };
    await writeSealedRecord(ctx, key, record, city);
    await emitEvent(ctx, LEDGER_EVENTS.recognitionRecorded, record, city.id);
    return jsonResult(record);
  }

  /** Every city's recognition record of one document (in city-id order). */
  @Transaction(false)
  @Returns('string')
  async GetRecognitions(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(getRecognitionsInput, inputJson);
    const entries = await readAllKeys(ctx, OBJECT_TYPES.recognition, [input.issuerCity, input.documentId]);
    const records: RecognitionRecord[] = [];
    for (const entry of entries) {
      const record = await sealedRecordOf<RecognitionRecord>(ctx, entry.key, entry.value, entry.attributes[2] as CityId);
      if (record) records.push(record);
    }
    return jsonResult({ records });
  }

  /**
   * Whether `recognisingCity` recognises a document of `issuerCity` at
   * instant `at`: its explicit recognition record wins; otherwise an
   * agreement between the two cities in force at `at` and covering the
   * document type (the first by agreement id).
   */
  @Transaction(false)
  @Returns('string')
  async IsRecognised(ctx: Context, inputJson: string): Promise<string> {
    const input = parseInput(isRecognisedInput, inputJson);
    const record = await readSealedRecord<RecognitionRecord>(
      ctx,
      recognitionKey(ctx, input.issuerCity, input.documentId, input.recognisingCity),
      input.recognisingCity,
    );
    if (record) {
      const verdict: RecognitionVerdict = {
        recognised: record.decision === 'accepted',
        basis: 'record',
        decision: record.decision,
        agreementId: record.agreementId,
      };
      return jsonResult(verdict);
    }
    for (const entry of await readAllKeys(ctx, OBJECT_TYPES.agreementByCity, [input.recognisingCity, input.issuerCity])) {
      const proposal = await readProposal(ctx, entry.attributes[2] as string);
      if (!proposal || !proposal.docTypes.includes(input.docType)) continue;
      const view = await agreementView(ctx, proposal);
      if (isAgreementInForceAt(view, input.at)) {
        return jsonResult({ recognised: true, basis: 'agreement', agreementId: view.agreementId } satisfies RecognitionVerdict);
      }
    }
    return jsonResult({ recognised: false, basis: 'none' } satisfies RecognitionVerdict);
  }
}

function proposalKey(ctx: Context, agreementId: string): string {
  return compositeKey(ctx, OBJECT_TYPES.agreement, [agreementId]);
}

function acceptanceKey(ctx: Context, agreementId: string): string {
  return compositeKey(ctx, OBJECT_TYPES.agreementAcceptance, [agreementId]);
}

function endKey(ctx: Context, agreementId: string): string {
  return compositeKey(ctx, OBJECT_TYPES.agreementEnd, [agreementId]);
}

function recognitionKey(ctx: Context, issuerCity: CityId, documentId: string, recognisingCity: CityId): string {
  return compositeKey(ctx, OBJECT_TYPES.recognition, [issuerCity, documentId, recognisingCity]);
}

/** An agreement's proposal when its proposer sealed it (a proposal others created in a city's name counts for nothing). */
async function readProposal(ctx: Context, agreementId: string): Promise<ProposalRecord | undefined> {
  const proposal = await readSealedRecord<ProposalRecord>(ctx, proposalKey(ctx, agreementId));
  return proposal && proposal.proposer === proposal.city ? proposal : undefined;
}

/**
 * An agreement's acceptance (sealed by its counterparty; the proposal's
 * placeholder is not) and end (sealed by one of its parties).
 */
async function agreementParts(
  ctx: Context,
  proposal: ProposalRecord,
): Promise<{ acceptance: AcceptanceRecord | undefined; end: EndRecord | undefined }> {
  const acceptance = await readSealedRecord<AcceptanceRecord>(ctx, acceptanceKey(ctx, proposal.agreementId), proposal.counterparty);
  const end = await readSealedRecord<EndRecord>(ctx, endKey(ctx, proposal.agreementId));
  const byParty = end && (end.city === proposal.proposer || end.city === proposal.counterparty) ? end : undefined;
  return { acceptance, end: byParty };
}

/** Reads the acceptance and end of an agreement and combines them with its proposal. */
async function agreementView(ctx: Context, proposal: ProposalRecord): Promise<AgreementView> {
  const { acceptance, end } = await agreementParts(ctx, proposal);
  return combine(proposal, acceptance, end);
}

/** The agreement as `GetAgreement` returns it. */
function combine(proposal: ProposalRecord, acceptance: AcceptanceRecord | undefined, end: EndRecord | undefined): AgreementView {
  return {
    agreementId: proposal.agreementId,
    proposer: proposal.proposer,
    counterparty: proposal.counterparty,
    docTypes: proposal.docTypes,
    validFrom: proposal.validFrom,
    validTo: proposal.validTo,
    state: end ? 'ended' : acceptance?.accepted ? 'active' : 'proposed',
    proposedAt: proposal.proposedAt,
    acceptedAt: acceptance?.accepted ? acceptance.acceptedAt : undefined,
    endedAt: end?.endedAt,
    endedBy: end?.city,
    endReasonHash: end?.reasonHash,
  };
}

/** True when the record's current decision is the one in `input`. */
function sameDecision(record: RecognitionRecord, input: Pick<RecognitionRecord, 'decision' | 'reasonHash' | 'agreementId'>): boolean {
  return record.decision === input.decision && record.reasonHash === input.reasonHash && record.agreementId === input.agreementId;
}

/** The current decision of a record, as a history item. */
function decisionOf(record: RecognitionRecord): RecognitionDecisionRecord {
  return {
    decision: record.decision,
    reasonHash: record.reasonHash,
    agreementId: record.agreementId,
    recordedAt: record.recordedAt,
    txId: record.txId,
  };
}

/**
 * Refuses an agreement id that does not name an agreement between the two cities.
 *
 * @throws CodedError `NOT_FOUND` or `INVALID_ARGUMENT`.
 */
async function assertAgreementBetween(ctx: Context, agreementId: string, a: CityId, b: CityId): Promise<void> {
  const proposal = found(await readProposal(ctx, agreementId), `agreement ${agreementId}`);
  const parties = [proposal.proposer, proposal.counterparty];
  if (!parties.includes(a) || !parties.includes(b)) {
    throw new CodedError('INVALID_ARGUMENT', `agreementId: agreement ${agreementId} is not between ${a} and ${b}`);
  }
}
