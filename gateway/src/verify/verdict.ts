/**
 * The verdict's shape is the verification core's (`@jcc/domain`): one zod
 * schema for the OpenAPI document, the CLI and the page.
 */
export { CHECK_NAMES, VALIDITY_CHECKS, verdictSchema } from '@jcc/domain';
export type { AnchorFacts, CheckName, CheckResult, CheckState, Verdict } from '@jcc/domain';
