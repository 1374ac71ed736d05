import type { CityId } from '@jcc/domain';
import type { Logger } from 'pino';
import { documentHash } from '../issue/document-jws.js';
import { BodyRemovedError, type PeerGateways } from '../peers/peer-gateways.js';
import type { DocumentTables, StoredProof } from '../store/documents.js';
import type { ProofBundle } from './proof-schema.js';
import type { ProofLookup } from './verifier.js';

/** A stored proof as a proof bundle. */
export function bundleOf(proof: StoredProof): ProofBundle {
  const bundle: ProofBundle = {
    leafHash: proof.leafHash,
    leafIndex: proof.leafIndex,
    treeSize: proof.treeSize,
    auditPath: proof.auditPath,
    root: proof.root,
    batchId: proof.batchId,
    txId: proof.txId,
  };
  if (proof.blockNumber !== null) bundle.blockNumber = proof.blockNumber;
  return bundle;
}

/**
 * Finds the proof bundle of a batch-anchored document that was sent without
 * one: in this gateway's store for its own documents, else from the issuing
 * city's gateway. Trust is unaffected — a proof only counts if it leads from
 * the document's hash to a root the issuing city anchored on the ledger.
 */
export function proofFinder(city: CityId, tables: DocumentTables, peers: PeerGateways, log: Logger): ProofLookup {
  return async (issuer, id, contentHash) => {
    if (issuer === city) {
      const [doc, proof] = await Promise.all([tables.documents.get(id), tables.proofs.get(id)]);
      return doc?.contentHash === contentHash && proof ? bundleOf(proof) : undefined;
    }
    try {
      const fetched = await peers.fetchDocument(issuer, id);
      if (fetched.proof && documentHash(fetched.jws) === contentHash) return fetched.proof;
    } catch (err) {
      // Past the issuer's retention: the proof of the hash the holder's document has.
      if (err instanceof BodyRemovedError && err.contentHash === contentHash) return err.proof;
      log.debug({ issuer, err: (err as Error).message }, 'no proof from the issuing gateway');
    }
    return undefined;
  };
}
