import { cityById, type CityId } from '../cities.js';
import { normalizeTimestamp, timestampFromMillis } from '../ledger/time.js';
import type { ProofBundle, VerificationBundle } from './bundle.js';
import { VALIDITY_CHECKS } from './checks.js';
import { DocumentFormatError, decodeDocumentJws, documentHash, type DecodedDocument } from './document-jws.js';
import { checkAnchored } from './lib/anchor-check.js';
import { Checklist } from './lib/checklist.js';
import { checkSignatureAndKey } from './lib/key-check.js';
import { checkRecognised } from './lib/recognition-check.js';
import { DEFAULT_SKEW_MS, checkNotExpired, checkStatus } from './lib/status-check.js';
import type { DocumentStatusRecord } from '../ledger/records.js';
import type { LedgerPort } from './port.js';
import type { AnchorFacts, Verdict } from './verdict.js';

/** Finds the proof bundle of a batch-anchored document sent without one (a door's own means, e.g. the issuing gateway). */
export type ProofLookup = (issuer: CityId, documentId: string, contentHash: string) => Promise<ProofBundle | undefined>;

/**
 * Reads the text of a status record's reason, which the issuing gateway
 * keeps (the ledger holds its salted hash `reasonHash`); `undefined` when
 * the door cannot read it. A door's own means, like {@link ProofLookup}.
 */
export type StatusReasonLookup = (status: DocumentStatusRecord) => Promise<string | undefined>;

/** The circumstances of a verification. */
export interface VerifyContext {
  /** The city on whose behalf the document is verified (its recognition is checked). */
  verifyingCity: CityId;
  /** The instant the document is judged at. */
  now: Date;
  /** Tolerated clock skew when an issue time is compared with now (ms; default 5 minutes). */
  skewMs?: number;
  /** Looks up a missing proof bundle; a proof found this way counts only if it leads to an anchored root. */
  findProof?: ProofLookup;
  /** Reads the text of a revocation's or replacement's reason; without it, the detail names the gateway that keeps it. */
  findStatusReason?: StatusReasonLookup;
}

/**
 * Verifies a signed document against the ledger read through `port`,
 * answering each check separately (see docs/verification.md): `signature`,
 * `issuerKey`, `anchored`, `status`, `notExpired` (these decide `valid`) and
 * `recognised` (for the verifying city, reported only). The document is a
 * compact JWS or a JWS in the general JSON serialization (e.g. EdDSA and
 * SM2SM3 signatures); each signature is judged and reported on its own. A check that could
 * not run is `not-checked`, which for a validity check makes the verdict
 * invalid. Ledger read failures propagate: no verdict is built on facts that
 * could not be read.
 */
export async function verifyDocument(bundle: VerificationBundle, port: LedgerPort, context: VerifyContext): Promise<Verdict> {
  const now = context.now.getTime();
  const nowIso = timestampFromMillis(now);
  const ledgerHeight = await port.height();
  const checks = new Checklist();
  const anchor: AnchorFacts = { mode: null, txId: null, blockNumber: null };
  const verdict = (extra: Partial<Verdict>): Verdict => {
    const list = checks.list();
    return {
      valid: list.filter((c) => VALIDITY_CHECKS.includes(c.check)).every((c) => c.state === 'passed'),
      checks: list,
      issuer: null,
      document: null,
      anchor,
      recognition: null,
      contentHash: null,
      verifiedBy: context.verifyingCity,
      verifiedAt: nowIso,
      ledgerHeight,
      source: port.source,
      ...extra,
    };
  };

  let decoded: DecodedDocument;
  try {
    decoded = decodeDocumentJws(bundle.jws);
  } catch (err) {
    const reason = err instanceof DocumentFormatError ? err.message : 'not a signed document';
    checks.set('signature', 'failed', 'malformed', `malformed document: ${reason}`, []);
    return verdict({});
  }
  const { header, document } = decoded;
  const contentHash = documentHash(bundle.jws);
  const city = cityById(document.issuer.city);
  const issuer = { city: city.id, mspId: city.mspId, name: city.name, nameZh: city.nameZh };
  const docFacts = { id: document.id, type: document.type, issuedAt: document.issuedAt, validUntil: document.validUntil };
  const issuedAt = normalizeTimestamp(document.issuedAt);

  const kids = decoded.signatures.map((s) => s.header.kid);
  const keys = new Map(await Promise.all(kids.map(async (kid) => [kid, await port.key(city.id, kid)] as const)));
  checkSignatureAndKey(checks, decoded, city, keys, issuedAt);

  let proof = bundle.proof;
  let facts = await port.document(city.id, document.id, { expectAnchor: proof === undefined });
  if (!facts?.anchor && proof === undefined && context.findProof) {
    proof = await context.findProof(city.id, document.id, contentHash).catch(() => undefined);
    if (proof && !facts) facts = await port.document(city.id, document.id, { expectAnchor: false });
  }
  await checkAnchored(checks, anchor, port, { city, document, kid: header.kid, jws: bundle.jws, contentHash, facts, proof });
  const status = facts?.status;
  const reason = status && context.findStatusReason ? await context.findStatusReason(status).catch(() => undefined) : undefined;
  checkStatus(checks, status, reason);
  checkNotExpired(checks, document, now, context.skewMs ?? DEFAULT_SKEW_MS);
  const recognition = await checkRecognised(checks, port, city, document, context.verifyingCity, nowIso);
  return verdict({ issuer, document: docFacts, recognition, contentHash });
}
