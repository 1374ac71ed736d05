/**
 * The checks of a verification, in the order every door reports them.
 * Their semantics are written down once, in docs/verification.md.
 */

/** Names of the checks, in the order they are reported. */
export const CHECK_NAMES = ['signature', 'issuerKey', 'anchored', 'status', 'notExpired', 'recognised'] as const;

/** One of the checks. */
export type CheckName = (typeof CHECK_NAMES)[number];

/** The checks that decide validity (all but `recognised`, which is reported for the verifying city). */
export const VALIDITY_CHECKS: readonly CheckName[] = ['signature', 'issuerKey', 'anchored', 'status', 'notExpired'];

/**
 * The state of one check: `passed`, `failed`, or `not-checked` when the
 * check could not run (the document could not be read, or a check it depends
 * on had nothing to work with). A validity check that is not `passed` makes
 * the verdict invalid, whether it failed or could not be checked.
 */
export const CHECK_STATES = ['passed', 'failed', 'not-checked'] as const;

/** One of the check states. */
export type CheckState = (typeof CHECK_STATES)[number];
