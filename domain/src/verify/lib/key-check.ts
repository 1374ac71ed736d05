import type { City } from '../../cities.js';
import type { CreditDocument } from '../../document.js';
import type { KeyRecord } from '../../ledger/records.js';
import { instantMillis } from '../../ledger/time.js';
import { isKeyValidAt } from '../../ledger/validity.js';
import { verifySignatureWith, type DecodedDocument, type DocumentSignature } from '../document-jws.js';
import { signatureAlgorithm } from '../signature-algorithms.js';
import type { SignatureResult } from '../verdict.js';
import type { Checklist } from './checklist.js';

/** How one signature was judged, with the sentence that says why. */
interface Judged extends SignatureResult {
  detail: string;
}

function judge(signature: DocumentSignature, city: City, key: KeyRecord | undefined): Judged {
  const { kid, alg } = signature.header;
  if (!key)
    return { kid, alg, state: 'not-checked', reason: 'no-key', detail: `${city.name} has registered no key "${kid}" on the ledger` };
  const jwk = key.jwk as Record<string, unknown>;
  const algorithm = signatureAlgorithm(alg);
  if (!algorithm || !algorithm.suits(jwk))
    return {
      kid,
      alg,
      state: 'not-checked',
      reason: 'key-unusable',
      detail: `the registered key "${kid}" (${String(jwk.kty)}/${String(jwk.crv)}) cannot be used with alg ${alg}`,
    };
  if (verifySignatureWith(signature, jwk))
    return { kid, alg, state: 'passed', reason: 'verified', detail: `the ${alg} signature verifies under key "${kid}"` };
  return { kid, alg, state: 'failed', reason: 'mismatch', detail: `the ${alg} signature under key "${kid}" does not match` };
}

/**
 * Decides `signature` and `issuerKey` from the keys registered under the
 * signatures' kids (`keys`, by kid; a kid the ledger lacks is absent).
 * Every signature is judged on its own and reported in the `signature`
 * check's list; the check passes only when every signature verifies, fails
 * when one does not match, and is otherwise not checked. `issuerKey` passes
 * only when every signature's key may have signed the document.
 * `issuedAt` is the document's issue time in canonical (millisecond) form.
 */
export function checkSignatureAndKey(
  checks: Checklist,
  decoded: DecodedDocument,
  city: City,
  keys: ReadonlyMap<string, KeyRecord | undefined>,
  issuedAt: string,
): void {
  const { document } = decoded;
  const judged = decoded.signatures.map((s) => judge(s, city, keys.get(s.header.kid)));
  const results: SignatureResult[] = judged.map(({ kid, alg, state, reason }) => ({ kid, alg, state, reason }));
  const failed = judged.filter((j) => j.state === 'failed');
  const unchecked = judged.filter((j) => j.state === 'not-checked');
  if (failed.length > 0) {
    const which = failed.map((j) => j.alg).join(', ');
    checks.set(
      'signature',
      'failed',
      'mismatch',
      `the ${which} signature does not match: the document was altered or signed with another key (${failed.map((j) => j.detail).join('; ')})`,
      results,
    );
  } else if (unchecked.length > 0) {
    checks.set('signature', 'not-checked', unchecked[0]!.reason, `not checked: ${unchecked.map((j) => j.detail).join('; ')}`, results);
  } else {
    const detail =
      judged.length === 1 ? judged[0]!.detail : `all ${judged.length} signatures verify: ${judged.map((j) => j.detail).join('; ')}`;
    checks.set('signature', 'passed', 'verified', detail, results, { kid: judged.map((j) => j.kid).join(', ') });
  }

  for (const { header } of decoded.signatures) {
    const key = keys.get(header.kid);
    if (!key) {
      checks.fail('issuerKey', 'not-registered', `key "${header.kid}" is not registered on the ledger by ${city.name} (${city.nameZh})`, {
        kid: header.kid,
        city: city.name,
      });
      return;
    }
    const problem = keyProblem(key, document, city, header.alg, issuedAt);
    if (problem) {
      checks.fail('issuerKey', problem[0], problem[1]);
      return;
    }
  }
  const sentences = decoded.signatures.map(({ header }) => {
    const key = keys.get(header.kid)!;
    const later = key.revokedAt !== undefined ? ` (revoked later, at ${key.revokedAt})` : '';
    return `key "${header.kid}" is registered by ${city.name} (${city.nameZh}) for documents and was valid at ${document.issuedAt}${later}`;
  });
  checks.pass('issuerKey', 'registered', sentences.join('; '), {
    kid: decoded.signatures.map(({ header }) => header.kid).join(', '),
    city: city.name,
    issuedAt: document.issuedAt,
  });
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
  if (instantMillis(issuedAt) < instantMillis(key.validFrom))
    return ['not-yet-valid', `the document was issued (${document.issuedAt}) before key "${key.kid}" became valid (${key.validFrom})`];
  if (key.revokedAt !== undefined && instantMillis(issuedAt) >= instantMillis(key.revokedAt))
    return ['revoked', `key "${key.kid}" was revoked at ${key.revokedAt}, before the document was issued (${document.issuedAt})`];
  return ['expired', `the document was issued (${document.issuedAt}) after key "${key.kid}" expired (${key.validTo ?? ''})`];
}
