import { cityById, isKeyValidAt, verifyInclusion, type CityId, type CreditDocument } from '@jcc/domain';
import type { KeyRecord } from '../fabric/records.js';
import {
  DocumentFormatError,
  decodeDocumentJws,
  documentHash,
  verifyDocumentSignature,
  type DecodedDocument,
} from '../issue/document-jws.js';
import { isoTimestamp, type Clock } from '../lib/time.js';
import type { LedgerView, WithBlock } from './ledger-view.js';
import { batchIdFor, type ProofBundle } from './proof-schema.js';
import { VALIDITY_CHECKS, type AnchorFacts, type CheckName, type CheckResult, type Verdict } from './verdict.js';
import type { DocumentView } from '../fabric/records.js';

/** Finds the proof bundle of a batch-anchored document when the caller did not send one. */
export type ProofLookup = (issuer: CityId, documentId: string, contentHash: string) => Promise<ProofBundle | undefined>;

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

const NOT_CHECKED = 'not checked: the document could not be read';

/**
 * Verifies a signed document against the ledger, answering each check
 * separately: `signature` (the JWS verifies under the key named by its kid),
 * `issuerKey` (that key is registered on the ledger by the issuing city, for
 * documents, and was valid at the issue time), `anchored` (the SHA-256 of the
 * JWS is anchored by the issuing city, alone or as a Merkle leaf whose root is
 * anchored), `status` (not revoked or superseded), `notExpired`, and
 * `recognised` (by the verifying city, under an agreement or a recognition
 * record; reported but not part of validity).
 */
export class Verifier {
  readonly #options: VerifierOptions;

  constructor(options: VerifierOptions) {
    this.#options = options;
  }

  async verify(input: { jws: string; proof?: ProofBundle | undefined }): Promise<Verdict> {
    const { city: me, view, clock } = this.#options;
    const now = clock();
    const nowIso = isoTimestamp(now);
    const checks = new Map<CheckName, CheckResult>();
    const set = (check: CheckName, ok: boolean, detail: string): void => void checks.set(check, { check, ok, detail });
    const anchor: AnchorFacts = { mode: null, txId: null, blockNumber: null };
    const verdict = (extra: Partial<Verdict>): Verdict => {
      const list = (['signature', 'issuerKey', 'anchored', 'status', 'notExpired', 'recognised'] as const).map(
        (name) => checks.get(name) ?? { check: name, ok: false, detail: NOT_CHECKED },
      );
      return {
        valid: list.filter((c) => VALIDITY_CHECKS.includes(c.check)).every((c) => c.ok),
        checks: list,
        issuer: null,
        document: null,
        anchor,
        recognition: null,
        contentHash: null,
        verifiedBy: me,
        verifiedAt: nowIso,
        source: view.source,
        ...extra,
      };
    };

    let decoded: DecodedDocument;
    try {
      decoded = decodeDocumentJws(input.jws);
    } catch (err) {
      const reason = err instanceof DocumentFormatError ? err.message : 'not a signed document';
      set('signature', false, `malformed document: ${reason}`);
      return verdict({});
    }
    const { header, document } = decoded;
    const contentHash = documentHash(input.jws);
    const issuerCity = cityById(document.issuer.city);
    const issuer = { city: issuerCity.id, mspId: issuerCity.mspId, name: issuerCity.name, nameZh: issuerCity.nameZh };
    const docFacts = { id: document.id, type: document.type, issuedAt: document.issuedAt, validUntil: document.validUntil };

    // signature + issuerKey
    const key = await view.key(issuerCity.id, header.kid);
    if (!key) {
      set('signature', false, `cannot be checked: ${issuerCity.name} has registered no key "${header.kid}" on the ledger`);
      set('issuerKey', false, `key "${header.kid}" is not registered on the ledger by ${issuerCity.name} (${issuerCity.nameZh})`);
    } else {
      let signatureOk = false;
      try {
        signatureOk = await verifyDocumentSignature(input.jws, header.alg, key.jwk as Record<string, unknown>);
        set(
          'signature',
          signatureOk,
          signatureOk
            ? `the signature verifies under key "${header.kid}"`
            : 'the signature does not match: the document was altered or signed with another key',
        );
      } catch {
        set('signature', false, `the registered key "${header.kid}" cannot be used with alg ${header.alg}`);
      }
      const keyProblem = this.#keyProblem(key, document, header.alg);
      set(
        'issuerKey',
        keyProblem === undefined,
        keyProblem ??
          `key "${header.kid}" is registered by ${issuerCity.name} (${issuerCity.nameZh}) for documents and was valid at ${document.issuedAt}`,
      );
    }
    if (document.issuer.mspId !== issuerCity.mspId)
      set('issuerKey', false, `the document names MSP ${document.issuer.mspId}, but ${issuerCity.name} is ${issuerCity.mspId}`);

    // anchored + status
    let proof = input.proof;
    let state = await view.document(issuerCity.id, document.id, { expectAnchor: proof === undefined });
    if (!state?.anchor && proof === undefined && this.#options.findProof) {
      proof = await this.#options.findProof(issuerCity.id, document.id, contentHash).catch(() => undefined);
      if (proof && !state) state = await view.document(issuerCity.id, document.id, { expectAnchor: false });
    }
    await this.#checkAnchor(set, anchor, document, contentHash, header.kid, state, proof);
    this.#checkStatus(set, state);

    // notExpired
    const validUntil = Date.parse(document.validUntil);
    const issuedAt = Date.parse(document.issuedAt);
    if (issuedAt > now + (this.#options.skewMs ?? 5 * 60_000)) set('notExpired', false, `issued in the future (${document.issuedAt})`);
    else if (validUntil <= now) set('notExpired', false, `expired at ${document.validUntil}`);
    else set('notExpired', true, `in force until ${document.validUntil}`);

    // recognised
    let recognition: Verdict['recognition'] = null;
    if (issuerCity.id === me) {
      set('recognised', true, `issued by this city (${cityById(me).name})`);
      recognition = { city: me, recognised: true, basis: 'record' };
    } else {
      try {
        const answer = await view.recognition({
          issuerCity: issuerCity.id,
          documentId: document.id,
          docType: document.type,
          recognisingCity: me,
          at: nowIso,
        });
        recognition = { ...answer, city: me };
        const by = cityById(me).name;
        if (answer.basis === 'record')
          set(
            'recognised',
            answer.recognised,
            `${by} recorded the decision "${answer.decision ?? (answer.recognised ? 'accepted' : 'rejected')}" for this document`,
          );
        else if (answer.basis === 'agreement')
          set(
            'recognised',
            answer.recognised,
            `${by} recognises ${issuerCity.name}'s ${document.type} documents under agreement ${answer.agreementId ?? ''}`.trim(),
          );
        else
          set(
            'recognised',
            false,
            `${by} has no recognition agreement with ${issuerCity.name} covering ${document.type} and no recognition record for this document`,
          );
      } catch (err) {
        set('recognised', false, `could not be determined: ${(err as Error).message}`);
      }
    }
    return verdict({ issuer, document: docFacts, recognition, contentHash });
  }

  #keyProblem(key: KeyRecord, document: CreditDocument, alg: string): string | undefined {
    if (key.city !== document.issuer.city)
      return `key "${key.kid}" belongs to ${key.city}, not to the issuing city ${document.issuer.city}`;
    if (key.use !== 'document') return `key "${key.kid}" is registered for ${key.use} use, not for signing documents`;
    const kty = (key.jwk as { kty?: string }).kty;
    if ((alg === 'EdDSA' && kty !== 'OKP') || (alg === 'ES256' && kty !== 'EC'))
      return `key "${key.kid}" (${kty}) does not suit alg ${alg}`;
    if (isKeyValidAt(key, document.issuedAt)) return undefined;
    if (document.issuedAt < key.validFrom)
      return `the document was issued (${document.issuedAt}) before key "${key.kid}" became valid (${key.validFrom})`;
    if (key.revokedAt !== undefined && document.issuedAt >= key.revokedAt)
      return `key "${key.kid}" was revoked at ${key.revokedAt}, before the document was issued (${document.issuedAt})`;
    return `the document was issued (${document.issuedAt}) after key "${key.kid}" expired (${key.validTo ?? ''})`;
  }

  async #checkAnchor(
    set: (check: CheckName, ok: boolean, detail: string) => void,
    anchor: AnchorFacts,
    document: CreditDocument,
    contentHash: string,
    kid: string,
    state: WithBlock<DocumentView> | undefined,
    proof: ProofBundle | undefined,
  ): Promise<void> {
    const city = cityById(document.issuer.city);
    const single = state?.anchor;
    if (single) {
      Object.assign(anchor, { mode: 'single', txId: single.txId, blockNumber: state.blockNumber ?? null, anchoredAt: single.anchoredAt });
      if (single.contentHash !== contentHash) {
        set(
          'anchored',
          false,
          `${city.name} anchored a different hash under document id ${document.id}: this document is not the one anchored (altered)`,
        );
        return;
      }
      const mismatch =
        single.docType !== document.type
          ? 'document type'
          : single.kid !== kid
            ? 'signing key'
            : single.issuedAt !== document.issuedAt
              ? 'issue time'
              : single.validUntil !== document.validUntil
                ? 'validity'
                : single.subjectPseudonym !== document.subject.pseudonym
                  ? 'subject pseudonym'
                  : undefined;
      if (mismatch) {
        set('anchored', false, `the anchor record of ${document.id} disagrees with the document on the ${mismatch}`);
        return;
      }
      set(
        'anchored',
        true,
        `anchored alone by ${city.name} in transaction ${single.txId}${state.blockNumber !== undefined ? `, block ${state.blockNumber}` : ''} at ${single.anchoredAt}`,
      );
      return;
    }
    if (!proof) {
      set(
        'anchored',
        false,
        `no anchor for document ${document.id} of ${city.name} on the ledger (not anchored yet, or batch-anchored: send its proof bundle)`,
      );
      return;
    }
    Object.assign(anchor, {
      mode: 'batch',
      txId: proof.txId ?? null,
      blockNumber: proof.blockNumber ?? null,
      root: proof.root,
      leafIndex: proof.leafIndex,
      treeSize: proof.treeSize,
    });
    if (!verifyInclusion(contentHash, proof)) {
      set('anchored', false, 'the Merkle proof does not lead from this document to the root (altered document or wrong proof)');
      return;
    }
    const batchId = proof.batchId ?? batchIdFor(city.id, proof.root);
    anchor.batchId = batchId;
    const batch = await this.#options.view.batch(city.id, batchId);
    if (!batch) {
      set('anchored', false, `no batch ${batchId} anchored by ${city.name} on the ledger`);
      return;
    }
    if (batch.root !== proof.root) {
      set('anchored', false, `batch ${batchId} of ${city.name} has another root on the ledger`);
      return;
    }
    if (batch.leafCount !== proof.treeSize) {
      set('anchored', false, `batch ${batchId} has ${batch.leafCount} leaves on the ledger, the proof says ${proof.treeSize}`);
      return;
    }
    if (document.issuedAt < batch.firstIssuedAt || document.issuedAt > batch.lastIssuedAt) {
      set('anchored', false, `the document's issue time lies outside the batch's issue-time range on the ledger`);
      return;
    }
    Object.assign(anchor, { txId: batch.txId, blockNumber: batch.blockNumber ?? proof.blockNumber ?? null, anchoredAt: batch.anchoredAt });
    set(
      'anchored',
      true,
      `leaf ${proof.leafIndex} of ${proof.treeSize} in batch ${batchId}, whose root ${city.name} anchored in transaction ${batch.txId}${batch.blockNumber !== undefined ? `, block ${batch.blockNumber}` : ''}`,
    );
  }

  #checkStatus(set: (check: CheckName, ok: boolean, detail: string) => void, state: WithBlock<DocumentView> | undefined): void {
    const status = state?.status;
    if (status?.status === 'revoked') set('status', false, `revoked by the issuer at ${status.at}: ${status.reason}`);
    else if (status?.status === 'superseded')
      set('status', false, `superseded by ${status.replacementId ?? 'another document'} at ${status.at}: ${status.reason}`);
    else set('status', true, 'in force: not revoked or superseded');
  }
}
