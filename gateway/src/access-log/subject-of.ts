import { decodeDocumentJws, type CityId, type DocumentAnchorRecord } from '@jcc/domain';
import type { Services } from '../services.js';

/**
 * The subject pseudonym of a document of any city: from its anchor record
 * on the ledger (singly anchored), else from the document itself, fetched
 * from the issuing gateway (batch-anchored: the ledger holds only the batch
 * root). `undefined` when neither answers.
 */
export async function documentPseudonym(s: Services, city: CityId, id: string): Promise<string | undefined> {
  if (city === s.city) return (await s.tables.documents.get(id))?.subjectPseudonym;
  try {
    const record = await s.ledger.evaluate<DocumentAnchorRecord>('reports:GetDocument', { city, id });
    if (record.subjectPseudonym) return record.subjectPseudonym;
  } catch {
    // not anchored alone: ask the issuing gateway
  }
  try {
    const fetched = await s.peers.fetchDocument(city, id);
    return decodeDocumentJws(fetched.jws).document.subject.pseudonym;
  } catch {
    return undefined;
  }
}
