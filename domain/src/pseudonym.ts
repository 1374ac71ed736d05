import { hmacSha256Hex } from './hash.js';

/**
 * A credit subject as the issuing city knows it: an enterprise by its USCC or a
 * person by their identity number. Never written to the ledger.
 */
export type SubjectIdentifier = { kind: 'enterprise'; uscc: string } | { kind: 'person'; idNumber: string };

/** Version tag prefixed to every pseudonym, so the scheme can be rotated. */
export const PSEUDONYM_SCHEME = 'ps1';

/**
 * The keyed pseudonym (主体假名) under which a subject appears on the ledger:
 * `ps1-` followed by HMAC-SHA-256(consortiumSecret, kind ":" identifier) in hex.
 * Without the consortium secret, which only the gateways hold, it cannot be
 * brute-forced back to an identifier.
 */
export function subjectPseudonym(consortiumSecret: string | Uint8Array, subject: SubjectIdentifier): string {
  const id = subject.kind === 'enterprise' ? subject.uscc : subject.idNumber;
  return `${PSEUDONYM_SCHEME}-${hmacSha256Hex(consortiumSecret, `${subject.kind}:${id.toUpperCase()}`)}`;
}

/** True when `value` has the form of a subject pseudonym. */
export function isSubjectPseudonym(value: unknown): value is string {
  return typeof value === 'string' && /^ps1-[0-9a-f]{64}$/.test(value);
}
