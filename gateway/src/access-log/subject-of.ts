import { decodeDocumentJws, type CityId, type DocumentAnchorRecord } from '@jcc/domain';
import { batchIdFor } from '../verify/proof-schema.js';
import type { Services } from '../services.js';

/** What a gateway can learn of a document of any city before referring to it on the ledger. */
export interface LocatedDocument {
  /** The subject's pseudonym, when the anchor or the document itself gave it. */
  subjectPseudonym?: string;
  /** The batch the document was anchored in, when it was not anchored alone (from the issuing gateway's proof bundle). */
  batchId?: string;
}

/**
 * Locates a document of any city: from its anchor record on the ledger
 * (singly anchored), else from the document and its proof bundle, fetched
 * from the issuing gateway (batch-anchored: the ledger holds only the batch
 * root, so a transaction naming the document must name its batch). Empty
 * when neither answers (e.g. an evaluation or list entry id, or the issuing
 * gateway is unreachable).
 */
export async function locateDocument(s: Services, city: CityId, id: string): Promise<LocatedDocument> {
  if (city === s.city) {
    const subjectPseudonym = (await s.tables.documents.get(id))?.subjectPseudonym;
    const batchId = (await s.tables.proofs.get(id))?.batchId;
    return { ...(subjectPseudonym ? { subjectPseudonym } : {}), ...(batchId ? { batchId } : {}) };
  }
  try {
    const record = await s.ledger.evaluate<DocumentAnchorRecord>('reports:GetDocument', { city, id });
    if (record.subjectPseudonym) return { subjectPseudonym: record.subjectPseudonym };
  } catch {
    // not anchored alone: ask the issuing gateway
  }
  try {
    const fetched = await s.peers.fetchDocument(city, id);
    const subjectPseudonym = decodeDocumentJws(fetched.jws).document.subject.pseudonym;
    const batchId = fetched.proof ? (fetched.proof.batchId ?? batchIdFor(city, fetched.proof.root)) : undefined;
    return { subjectPseudonym, ...(batchId ? { batchId } : {}) };
  } catch {
    return {};
  }
}
