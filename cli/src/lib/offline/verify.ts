import { compactVerify, importJWK, type JWK } from 'jose';
import { cityById, DOCUMENT_JWS_TYPE, DOCUMENT_SCHEMA, isCityId, sha256Hex, verifyInclusion, type CityId } from '@jcc/domain';
import type { AnchorInfo, DocumentBundle, VerificationCheck, VerificationResult } from '../api.js';
import { decodeCompactJws } from '../jws.js';
import type { BatchRecord, KeyRecord, LedgerReader } from './ledger.js';

/** Options of {@link verifyOffline}. */
export interface OfflineVerifyOptions {
  /** The city whose recognition is checked (the verifying city). */
  recognisingCity: CityId;
  /** Current time (tests); defaults to now. */
  now?: Date;
}

/** The verdict of offline verification: the online shape plus where the answers came from. */
export interface OfflineVerificationResult extends VerificationResult {
  mode: 'offline';
  /** SHA-256 of the compact JWS, hex: the hash anchored on the ledger. */
  documentHash: string;
  /** The city whose peer answered the ledger queries. */
  ledgerCity?: CityId;
}

/** Signature algorithms a city may sign documents with, and the JWK type each needs. */
const ALGORITHMS: Record<string, { kty: string; crv: string }> = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
  ES256: { kty: 'EC', crv: 'P-256' },
};

interface DocumentFacts {
  id: string;
  type: string;
  city: CityId;
  mspId: string;
  issuedAt: string;
  validUntil: string;
}

function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** Reads the facts verification needs from a decoded payload; returns a reason when it is not a document. */
function documentFacts(payload: unknown): DocumentFacts | string {
  if (typeof payload !== 'object' || payload === null) return 'the payload is not a JSON object';
  const doc = payload as Record<string, unknown>;
  if (doc.schema !== DOCUMENT_SCHEMA) return `the payload is not a ${DOCUMENT_SCHEMA} document`;
  const issuer = doc.issuer as Record<string, unknown> | undefined;
  if (!issuer || !isCityId(issuer.city)) return 'the document names no issuing city of the consortium';
  if (typeof doc.id !== 'string' || doc.id === '') return 'the document has no id';
  if (typeof doc.type !== 'string') return 'the document has no type';
  if (!isTimestamp(doc.issuedAt) || !isTimestamp(doc.validUntil)) return 'the document has no valid issuedAt/validUntil';
  return {
    id: doc.id,
    type: doc.type,
    city: issuer.city,
    mspId: typeof issuer.mspId === 'string' ? issuer.mspId : '',
    issuedAt: doc.issuedAt,
    validUntil: doc.validUntil,
  };
}

/** Why a registered key was not valid for signing at `issuedAt`, or `undefined` when it was. */
export function keyProblemAt(key: KeyRecord, issuedAt: string): string | undefined {
  const at = Date.parse(issuedAt);
  if (key.use !== 'document') return `key ${key.kid} is registered for "${key.use}", not for signing documents`;
  if (Date.parse(key.validFrom) > at)
    return `key ${key.kid} is valid only from ${key.validFrom}, after the document was issued (${issuedAt})`;
  if (key.validTo && Date.parse(key.validTo) <= at)
    return `key ${key.kid} expired at ${key.validTo}, before the document was issued (${issuedAt})`;
  if (key.revokedAt && Date.parse(key.revokedAt) <= at)
    return `key ${key.kid} was revoked at ${key.revokedAt}, before the document was issued (${issuedAt})`;
  return undefined;
}

async function checkSignature(jws: string, alg: string, key: KeyRecord): Promise<string | undefined> {
  const expected = ALGORITHMS[alg];
  if (!expected) return `algorithm "${alg}" is not accepted (EdDSA or ES256)`;
  if (key.jwk.kty !== expected.kty || key.jwk.crv !== expected.crv)
    return `algorithm ${alg} does not fit the registered ${String(key.jwk.kty)}/${String(key.jwk.crv)} key`;
  if ('d' in key.jwk) return `registered key ${key.kid} holds private material; it is not trusted`;
  // only the key material: kid/alg/use are the ledger's bookkeeping
  const { kid: _kid, alg: _alg, use: _use, key_ops: _ops, ...material } = key.jwk;
  try {
    const publicKey = await importJWK(material as JWK, alg);
    await compactVerify(jws, publicKey, { algorithms: [alg] });
    return undefined;
  } catch (err) {
    return `the signature does not verify with registered key ${key.kid}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function objectInput(input: unknown): Record<string, unknown> {
  if (typeof input === 'string') {
    try {
      return objectInput(JSON.parse(input));
    } catch {
      return {};
    }
  }
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
}

/**
 * Finds the batch record a proof points at: by `proof.batchId` when the bundle
 * has it, else under the gateways' batch name `<city>.batch.<root>`, else by
 * reading the anchoring transaction `proof.txId` from the ledger (it must be a
 * valid `reports:AnchorBatch` of the issuing city).
 */
async function findBatch(ledger: LedgerReader, city: CityId, proof: NonNullable<DocumentBundle['proof']>): Promise<BatchRecord | string> {
  if (proof.batchId) return (await ledger.getBatch(city, proof.batchId)) ?? `batch ${proof.batchId} of ${city} is not on the ledger`;
  // the gateways name a batch after its root
  const byRoot = await ledger.getBatch(city, `${city}.batch.${proof.root}`);
  if (byRoot) return byRoot;
  if (!proof.txId) return `no batch of ${city} with root ${proof.root} on the ledger, and the proof names no anchoring transaction`;
  if (!ledger.getTransaction) return 'the proof has no batchId and this ledger connection cannot look transactions up';
  const tx = await ledger.getTransaction(proof.txId);
  if (!tx) return `transaction ${proof.txId} is not on the ledger`;
  if (tx.validationCode !== 0) return `transaction ${proof.txId} was invalidated by the peers (validation code ${tx.validationCode})`;
  if (!/(^|:)AnchorBatch$/.test(tx.fn)) return `transaction ${proof.txId} is ${tx.fn}, not a batch anchor`;
  if (tx.creatorMspId !== cityById(city).mspId)
    return `transaction ${proof.txId} was submitted by ${tx.creatorMspId}, not by ${cityById(city).mspId}`;
  const input = objectInput(tx.input);
  if (typeof input.batchId !== 'string') return `transaction ${proof.txId} names no batch`;
  return (await ledger.getBatch(city, input.batchId)) ?? `batch ${input.batchId} of ${city} is not on the ledger`;
}

/**
 * Verifies a document against the ledger alone, with no gateway: the same
 * checks as `POST /api/v1/verify`, in the same order.
 *
 * - signature: the JWS verifies with the key the issuing city registered under its `kid`;
 * - issuerKey: that key is a `document` key of the issuing city, valid at the document's issue time;
 * - anchored: the SHA-256 of the JWS is anchored alone, or the inclusion proof leads from it to a batch root anchored by the issuing city;
 * - status: the issuer has not revoked or superseded the document;
 * - notExpired: `validUntil` is in the future;
 * - recognised: the verifying city recognises the document (does not affect `valid`).
 */
export async function verifyOffline(
  bundle: DocumentBundle,
  ledger: LedgerReader,
  options: OfflineVerifyOptions,
): Promise<OfflineVerificationResult> {
  const now = options.now ?? new Date();
  const documentHash = sha256Hex(bundle.jws);
  const checks: VerificationCheck[] = [];
  const result = (anchor: AnchorInfo | null, facts?: DocumentFacts): OfflineVerificationResult => {
    const valid = checks.filter((c) => c.check !== 'recognised').length === 5 && checks.every((c) => c.check === 'recognised' || c.ok);
    const city = facts ? cityById(facts.city) : undefined;
    return {
      mode: 'offline',
      valid,
      checks,
      issuer: city ? { city: city.id, mspId: city.mspId, name: city.name, nameZh: city.nameZh } : null,
      document: facts ? { id: facts.id, type: facts.type, issuedAt: facts.issuedAt, validUntil: facts.validUntil } : null,
      anchor,
      documentHash,
    };
  };
  const unreadable = (reason: string): OfflineVerificationResult => {
    checks.push({ check: 'signature', ok: false, detail: reason });
    for (const check of ['issuerKey', 'anchored', 'status', 'notExpired', 'recognised']) {
      checks.push({ check, ok: false, detail: 'not checked: the document cannot be read' });
    }
    return result(null);
  };

  let decoded;
  try {
    decoded = decodeCompactJws(bundle.jws);
  } catch (err) {
    return unreadable(`malformed JWS: ${err instanceof Error ? err.message : String(err)}`);
  }
  const facts = documentFacts(decoded.payload);
  if (typeof facts === 'string') return unreadable(facts);
  const alg = typeof decoded.header.alg === 'string' ? decoded.header.alg : '';
  const kid = typeof decoded.header.kid === 'string' ? decoded.header.kid : '';
  const city = cityById(facts.city);

  // signature and issuerKey
  const key = kid ? await ledger.getKey(facts.city, kid) : undefined;
  let signatureProblem: string | undefined;
  if (!kid) signatureProblem = 'the JWS header names no key (kid)';
  else if (!key) signatureProblem = `key ${kid} is not registered by ${city.name} on the ledger, so the signature cannot be trusted`;
  else if (decoded.header.typ !== undefined && decoded.header.typ !== DOCUMENT_JWS_TYPE)
    signatureProblem = `the JWS type is "${String(decoded.header.typ)}", not ${DOCUMENT_JWS_TYPE}`;
  else signatureProblem = await checkSignature(bundle.jws, alg, key);
  checks.push({
    check: 'signature',
    ok: !signatureProblem,
    detail: signatureProblem ?? `${alg} signature verifies with key ${kid} registered by ${city.name} (${city.nameZh})`,
  });

  let keyProblem: string | undefined;
  if (!key) keyProblem = kid ? `key ${kid} is not registered by ${city.name} on the ledger` : 'the JWS header names no key (kid)';
  else if (key.city !== facts.city) keyProblem = `key ${kid} belongs to ${key.city}, not to ${facts.city}`;
  else if (facts.mspId && facts.mspId !== city.mspId)
    keyProblem = `the document names MSP ${facts.mspId}, but ${city.name} is ${city.mspId}`;
  else keyProblem = keyProblemAt(key, facts.issuedAt);
  const revokedLater = key?.revokedAt && !keyProblem ? ` (revoked later, at ${key.revokedAt})` : '';
  checks.push({
    check: 'issuerKey',
    ok: !keyProblem,
    detail: keyProblem ?? `key ${kid} is a document key of ${city.name}, valid at issue time ${facts.issuedAt}${revokedLater}`,
  });

  // anchored
  const record = await ledger.getDocument(facts.city, facts.id);
  let anchor: AnchorInfo | null = null;
  let anchoredProblem: string | undefined;
  let anchoredDetail = '';
  let ledgerValidUntil: string | undefined;
  if (record?.anchor) {
    ledgerValidUntil = record.anchor.validUntil;
    anchor = { mode: 'single', txId: record.anchor.txId };
    if (record.anchor.contentHash !== documentHash) {
      anchoredProblem = `the ledger anchors another hash for ${facts.id} (${record.anchor.contentHash}); this document's hash is ${documentHash}: it was altered`;
    } else {
      const block = ledger.getBlockNumber ? await ledger.getBlockNumber(record.anchor.txId).catch(() => undefined) : undefined;
      if (block !== undefined) anchor.blockNumber = block;
      anchoredDetail = `hash ${documentHash} anchored alone in transaction ${record.anchor.txId}${block !== undefined ? `, block ${block}` : ''}`;
    }
  } else if (bundle.proof) {
    const proof = bundle.proof;
    anchor = {
      mode: 'batch',
      root: proof.root,
      ...(proof.txId ? { txId: proof.txId } : {}),
      ...(proof.batchId ? { batchId: proof.batchId } : {}),
    };
    if (!verifyInclusion(documentHash, proof)) {
      anchoredProblem = `the inclusion proof does not lead from this document's hash ${documentHash} to root ${proof.root}`;
    } else {
      const batch = await findBatch(ledger, facts.city, proof);
      if (typeof batch === 'string') anchoredProblem = batch;
      else {
        anchor = { mode: 'batch', root: batch.root, batchId: batch.batchId, txId: batch.txId };
        if (batch.root !== proof.root)
          anchoredProblem = `batch ${batch.batchId} anchors root ${batch.root}, not the proof's root ${proof.root}`;
        else if (batch.city !== facts.city) anchoredProblem = `batch ${batch.batchId} was anchored by ${batch.city}, not by ${facts.city}`;
        else if (batch.leafCount !== proof.treeSize)
          anchoredProblem = `batch ${batch.batchId} has ${batch.leafCount} leaves, the proof says ${proof.treeSize}`;
        else {
          const block = ledger.getBlockNumber ? await ledger.getBlockNumber(batch.txId).catch(() => undefined) : undefined;
          if (block !== undefined) anchor.blockNumber = block;
          anchoredDetail = `leaf ${proof.leafIndex} of ${proof.treeSize} in batch ${batch.batchId}, root ${batch.root} anchored in transaction ${batch.txId}${block !== undefined ? `, block ${block}` : ''}`;
        }
      }
    }
  } else {
    anchoredProblem = `no anchor of ${facts.id} by ${city.name} on the ledger, and no inclusion proof given (a batch-anchored document needs its {jws, proof} bundle)`;
  }
  checks.push({ check: 'anchored', ok: !anchoredProblem, detail: anchoredProblem ?? anchoredDetail });

  // status
  const status = record?.status;
  if (status && status.status === 'revoked') {
    checks.push({
      check: 'status',
      ok: false,
      detail: `revoked by ${city.name}${status.at ? ` at ${status.at}` : ''}${status.reason ? `: ${status.reason}` : ''}`,
    });
  } else if (status && status.status === 'superseded') {
    checks.push({
      check: 'status',
      ok: false,
      detail: `superseded${status.replacementId ? ` by ${status.replacementId}` : ''}${status.at ? ` at ${status.at}` : ''}${status.reason ? `: ${status.reason}` : ''}`,
    });
  } else if (status && status.status !== 'active') {
    checks.push({ check: 'status', ok: false, detail: `status on the ledger is ${status.status}` });
  } else {
    checks.push({ check: 'status', ok: true, detail: 'in force: the issuer has neither revoked nor superseded it' });
  }

  // notExpired
  const validUntil = ledgerValidUntil && Date.parse(ledgerValidUntil) < Date.parse(facts.validUntil) ? ledgerValidUntil : facts.validUntil;
  const expired = Date.parse(validUntil) <= now.getTime();
  checks.push({ check: 'notExpired', ok: !expired, detail: expired ? `expired at ${validUntil}` : `valid until ${validUntil}` });

  // recognised (informational)
  if (options.recognisingCity === facts.city) {
    checks.push({ check: 'recognised', ok: true, detail: `issued by ${city.name} itself` });
  } else {
    try {
      const answer = await ledger.isRecognised({
        issuerCity: facts.city,
        documentId: facts.id,
        docType: facts.type,
        recognisingCity: options.recognisingCity,
        at: now.toISOString(),
      });
      const by = cityById(options.recognisingCity).name;
      const basis =
        answer.basis === 'agreement'
          ? `agreement ${answer.agreementId ?? ''}`.trim()
          : answer.basis === 'record'
            ? `recognition record (${answer.decision ?? 'decision'})`
            : 'no agreement or recognition record';
      checks.push({
        check: 'recognised',
        ok: answer.recognised,
        detail: `${answer.recognised ? 'recognised' : 'not recognised'} by ${by}: ${basis}`,
      });
    } catch (err) {
      checks.push({ check: 'recognised', ok: false, detail: `cannot be checked: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  return result(anchor, facts);
}
