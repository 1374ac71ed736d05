import type { City } from '../../cities.js';
import type { CreditDocument } from '../../document.js';
import type { KeyRecord } from '../../ledger/records.js';
import { isKeyValidAt } from '../../ledger/validity.js';
import type { DecodedDocument } from '../document-jws.js';
import { signatureAlgorithm } from '../signature-algorithms.js';
import type { Checklist } from './checklist.js';

/**
 * Decides `signature` and `issuerKey` from the registered key (or its absence).
 * `issuedAt` is the document's issue time in canonical (millisecond) form.
 */
export function checkSignatureAndKey(
  checks: Checklist,
  decoded: DecodedDocument,
  city: City,
  key: KeyRecord | undefined,
  issuedAt: string,
): void {
  const { header, document } = decoded;
  const { kid, alg } = header;
  const one = (state: 'passed' | 'failed' | 'not-checked', reason: string) => [{ kid, alg, state, reason }];
  const algorithm = signatureAlgorithm(alg);
  if (!key) {
    checks.set(
      'signature',
      'not-checked',
      'no-key',
      `not checked: ${city.name} has registered no key "${kid}" on the ledger`,
      one('not-checked', 'no-key'),
    );
    checks.fail('issuerKey', 'not-registered', `key "${kid}" is not registered on the ledger by ${city.name} (${city.nameZh})`);
    return;
  }
  const jwk = key.jwk as Record<string, unknown>;
  if (!algorithm || !algorithm.suits(jwk)) {
    checks.set(
      'signature',
      'not-checked',
      'key-unusable',
      `not checked: the registered key "${kid}" (${String(jwk.kty)}/${String(jwk.crv)}) cannot be used with alg ${alg}`,
      one('not-checked', 'key-unusable'),
    );
  } else if (algorithm.verify(decoded.signingInput, decoded.signature, jwk)) {
    checks.set('signature', 'passed', 'verified', `the ${alg} signature verifies under key "${kid}"`, one('passed', 'verified'));
  } else {
    checks.set(
      'signature',
      'failed',
      'mismatch',
      'the signature does not match: the document was altered or signed with another key',
      one('failed', 'mismatch'),
    );
  }
  const problem = keyProblem(key, document, city, alg, issuedAt);
  if (problem) checks.fail('issuerKey', problem[0], problem[1]);
  else {
    const later = key.revokedAt !== undefined ? ` (revoked later, at ${key.revokedAt})` : '';
    checks.pass(
      'issuerKey',
      'registered',
      `key "${kid}" is registered by ${city.name} (${city.nameZh}) for documents and was valid at ${document.issuedAt}${later}`,
    );
  }
}

/** `[reason, detail]` when the key may not have signed the document, else `undefined`. */
function keyProblem(key: KeyRecord, document: CreditDocument, city: City, alg: string, issuedAt: string): [string, string] | undefined {
  if (key.city !== city.id) return ['wrong-city', `key "${key.kid}" belongs to ${key.city}, not to the issuing city ${city.id}`];
  if (document.issuer.mspId !== city.mspId)
    return ['msp-mismatch', `the document names MSP ${document.issuer.mspId}, but ${city.name} is ${city.mspId}`];
  if (key.use !== 'document') return ['wrong-use', `key "${key.kid}" is registered for ${key.use} use, not for signing documents`];
  const algorithm = signatureAlgorithm(alg);
  if (!algorithm || !algorithm.suits(key.jwk as Record<string, unknown>))
    return ['alg-mismatch', `key "${key.kid}" (${String(key.jwk.kty)}) does not suit alg ${alg}`];
  if (isKeyValidAt(key, issuedAt)) return undefined;
  if (issuedAt < key.validFrom)
    return ['not-yet-valid', `the document was issued (${document.issuedAt}) before key "${key.kid}" became valid (${key.validFrom})`];
  if (key.revokedAt !== undefined && issuedAt >= key.revokedAt)
    return ['revoked', `key "${key.kid}" was revoked at ${key.revokedAt}, before the document was issued (${document.issuedAt})`];
  return ['expired', `the document was issued (${document.issuedAt}) after key "${key.kid}" expired (${key.validTo ?? ''})`];
}
