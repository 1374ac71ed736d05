import { cityById, type City, type CityId } from '../../cities.js';
import type { CreditDocument } from '../../document.js';
import type { LedgerPort } from '../port.js';
import type { Verdict } from '../verdict.js';
import type { Checklist } from './checklist.js';

/** Decides `recognised` for the verifying city and returns the recognition facts for the verdict. */
export async function checkRecognised(
  checks: Checklist,
  port: LedgerPort,
  city: City,
  document: CreditDocument,
  verifyingCity: CityId,
  at: string,
): Promise<Verdict['recognition']> {
  const by = cityById(verifyingCity).name;
  if (city.id === verifyingCity) {
    checks.pass('recognised', 'own-city', `issued by this city (${by})`, { by });
    return { city: verifyingCity, recognised: true, basis: 'record' };
  }
  const answer = await port.recognition({
    issuerCity: city.id,
    documentId: document.id,
    docType: document.type,
    recognisingCity: verifyingCity,
    at,
  });
  const recognition: NonNullable<Verdict['recognition']> = { city: verifyingCity, recognised: answer.recognised, basis: answer.basis };
  if (answer.agreementId !== undefined) recognition.agreementId = answer.agreementId;
  if (answer.decision !== undefined) recognition.decision = answer.decision;
  if (answer.basis === 'record') {
    const decision = answer.decision ?? (answer.recognised ? 'accepted' : 'rejected');
    checks.set(
      'recognised',
      answer.recognised ? 'passed' : 'failed',
      `record-${decision}`,
      `${by} recorded the decision "${decision}" for this document`,
      undefined,
      { by },
    );
  } else if (answer.basis === 'agreement' && answer.recognised)
    checks.pass(
      'recognised',
      'agreement',
      `${by} recognises ${city.name}'s ${document.type} documents under agreement ${answer.agreementId ?? ''}`.trim(),
      { by, city: city.name, docType: document.type, agreementId: answer.agreementId ?? '' },
    );
  else
    checks.fail(
      'recognised',
      'none',
      `${by} has no recognition agreement with ${city.name} covering ${document.type} and no recognition record for this document`,
      { by, city: city.name, docType: document.type },
    );
  return recognition;
}
