import type { City } from '../../cities.js';
import { documentHashSm3 } from '../document-jws.js';
import type { CreditDocument } from '../../document.js';
import { instantMillis, normalizeTimestamp } from '../../ledger/time.js';
import { LEAF_SCHEME_SM3 } from '../../merkle/hashing.js';
import { verifyInclusion, type InclusionProof } from '../../merkle/proof.js';
import { batchIdFor, type ProofBundle } from '../bundle.js';
import type { DocumentFacts, LedgerPort } from '../port.js';
import type { AnchorFacts } from '../verdict.js';
import type { Checklist } from './checklist.js';

/** What the `anchored` check compares. */
export interface AnchorInput {
  city: City;
  document: CreditDocument;
  /** The kid of the document's first signature: the one a single anchor names. */
  kid: string;
  /** The signed document's exact text (its SM3 hash is compared with an anchored `contentHashSm3`). */
  jws: string;
  contentHash: string;
  facts: DocumentFacts | undefined;
  proof: ProofBundle | undefined;
}

/** Same instant, whatever the number of fraction digits written. */
function sameInstant(a: string, b: string): boolean {
  try {
    return normalizeTimestamp(a) === normalizeTimestamp(b);
  } catch {
    return false;
  }
}

/**
 * Decides `anchored`: a single anchor of the issuing city under the document
 * id that agrees with the signed document in every anchored field, or (when
 * there is none) a Merkle proof from the document's hash to a batch root the
 * issuing city anchored, whose leaf count and issue-time range fit. A proof
 * that carries the SM3 inclusion proof (`rfc9162-sm3/v1`) must also lead from
 * the SM3 of the document to the batch's anchored `rootSm3`.
 * Fills `anchor` with what was found.
 */
export async function checkAnchored(checks: Checklist, anchor: AnchorFacts, port: LedgerPort, input: AnchorInput): Promise<void> {
  const { city, document, kid, jws, contentHash, facts, proof } = input;
  const single = facts?.anchor;
  if (single) {
    Object.assign(anchor, { mode: 'single', txId: single.txId, blockNumber: single.blockNumber ?? null, anchoredAt: single.anchoredAt });
    if (single.contentHash !== contentHash) {
      checks.fail(
        'anchored',
        'hash-differs',
        `${city.name} anchored a different hash under document id ${document.id}: this document is not the one anchored (altered)`,
        { city: city.name, documentId: document.id },
      );
      return;
    }
    if (single.contentHashSm3 !== undefined && single.contentHashSm3 !== documentHashSm3(jws)) {
      checks.fail(
        'anchored',
        'sm3-hash-differs',
        `${city.name} anchored a different SM3 hash (contentHashSm3) under document id ${document.id}: this document is not the one anchored (altered)`,
        { city: city.name, documentId: document.id },
      );
      return;
    }
    const mismatch: [string, string] | undefined =
      single.docType !== document.type
        ? ['doctype-differs', 'document type']
        : single.kid !== kid
          ? ['kid-differs', 'signing key']
          : !sameInstant(single.issuedAt, document.issuedAt)
            ? ['issuedat-differs', 'issue time']
            : !sameInstant(single.validUntil, document.validUntil)
              ? ['validuntil-differs', 'validity']
              : single.subjectPseudonym !== document.subject.pseudonym
                ? ['subject-differs', 'subject pseudonym']
                : undefined;
    if (mismatch) {
      checks.fail('anchored', mismatch[0], `the anchor record of ${document.id} disagrees with the document on the ${mismatch[1]}`, {
        documentId: document.id,
      });
      return;
    }
    const block = single.blockNumber !== undefined ? `, block ${single.blockNumber}` : '';
    const sm3 = single.contentHashSm3 !== undefined ? ' (its SHA-256 and SM3 hashes both agree)' : '';
    checks.pass(
      'anchored',
      'single',
      `anchored alone by ${city.name} in transaction ${single.txId}${block} at ${single.anchoredAt}${sm3}`,
      {
        city: city.name,
        txId: single.txId,
        block: single.blockNumber ?? '',
        anchoredAt: single.anchoredAt,
      },
    );
    return;
  }
  if (!proof) {
    checks.fail(
      'anchored',
      'not-anchored',
      `no anchor for document ${document.id} of ${city.name} on the ledger (not anchored yet, or batch-anchored: send its proof bundle)`,
      { city: city.name, documentId: document.id },
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
    checks.fail(
      'anchored',
      'proof-invalid',
      'the Merkle proof does not lead from this document to the root (altered document or wrong proof)',
    );
    return;
  }
  const sm3 = sm3ProofOf(proof);
  if (sm3 && !verifyInclusion(documentHashSm3(jws), sm3, LEAF_SCHEME_SM3)) {
    checks.fail(
      'anchored',
      'sm3-proof-invalid',
      `the SM3 Merkle proof (${LEAF_SCHEME_SM3}: leafHashSm3, auditPathSm3) does not lead from the SM3 of this document to rootSm3 (altered document or wrong proof)`,
    );
    return;
  }
  const batchId = proof.batchId ?? batchIdFor(city.id, proof.root);
  anchor.batchId = batchId;
  const batch = await port.batch(city.id, batchId);
  if (!batch) {
    checks.fail('anchored', 'batch-not-found', `no batch ${batchId} anchored by ${city.name} on the ledger`, { city: city.name, batchId });
    return;
  }
  // what the ledger says replaces what the bundle claimed
  Object.assign(anchor, { txId: batch.txId, blockNumber: batch.blockNumber ?? null, anchoredAt: batch.anchoredAt });
  if (batch.root !== proof.root) {
    checks.fail('anchored', 'batch-root-differs', `batch ${batchId} of ${city.name} has another root on the ledger`);
    return;
  }
  if (batch.leafCount !== proof.treeSize) {
    checks.fail(
      'anchored',
      'batch-size-differs',
      `batch ${batchId} has ${batch.leafCount} leaves on the ledger, the proof says ${proof.treeSize}`,
    );
    return;
  }
  if (sm3 && batch.rootSm3 !== sm3.root) {
    checks.fail(
      'anchored',
      'batch-root-sm3-differs',
      batch.rootSm3 === undefined
        ? `batch ${batchId} of ${city.name} has no SM3 root (rootSm3) on the ledger, the proof names one`
        : `batch ${batchId} of ${city.name} has another SM3 root (rootSm3) on the ledger`,
      { city: city.name, batchId },
    );
    return;
  }
  if (sm3) anchor.rootSm3 = sm3.root;
  const issuedAt = instantMillis(document.issuedAt);
  if (issuedAt < instantMillis(batch.firstIssuedAt) || issuedAt > instantMillis(batch.lastIssuedAt)) {
    checks.fail(
      'anchored',
      'outside-batch-range',
      `the document's issue time ${document.issuedAt} lies outside the batch's issue-time range [${batch.firstIssuedAt}, ${batch.lastIssuedAt}] on the ledger`,
    );
    return;
  }
  const block = batch.blockNumber !== undefined ? `, block ${batch.blockNumber}` : '';
  const sm3Said = sm3
    ? ` (its SHA-256 and SM3 paths both lead to the anchored roots)`
    : batch.rootSm3 !== undefined
      ? ` (the batch also has an SM3 root; the bundle carries no SM3 path, so only the SHA-256 path was checked)`
      : '';
  checks.pass(
    'anchored',
    'batch',
    `leaf ${proof.leafIndex} of ${proof.treeSize} in batch ${batchId}, whose root ${city.name} anchored in transaction ${batch.txId}${block}${sm3Said}`,
    { city: city.name, leafIndex: proof.leafIndex, treeSize: proof.treeSize, batchId, txId: batch.txId, block: batch.blockNumber ?? '' },
  );
}

/** The SM3 (`rfc9162-sm3/v1`) inclusion proof a bundle carries, as an inclusion proof of its own; `undefined` when it carries none. */
function sm3ProofOf(proof: ProofBundle): InclusionProof | undefined {
  const { leafHashSm3, auditPathSm3, rootSm3 } = proof;
  if (leafHashSm3 === undefined || auditPathSm3 === undefined || rootSm3 === undefined) return undefined;
  return { leafHash: leafHashSm3, leafIndex: proof.leafIndex, treeSize: proof.treeSize, auditPath: auditPathSm3, root: rootSm3 };
}
