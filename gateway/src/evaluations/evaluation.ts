import { z } from 'zod';
import {
  canonicalJsonOfFlat,
  recordEvaluationInput,
  recordIdField,
  sha256Hex,
  validUntilCoversPeriod,
  type CityId,
  type RecordEvaluationInput,
} from '@jcc/domain';
import { pseudonymOf, subjectSchema } from '../issue/subject.js';

const shape = recordEvaluationInput.shape;

/**
 * An evaluation as an operator sends it (`POST /api/v1/evaluations`, and each
 * line of the bulk upload): the ledger's fields (same schemas as
 * `evaluations:RecordEvaluation`), with the subject named instead of
 * pseudonymised and the evidence given as text or as its hash.
 */
const evaluationFields = {
  id: recordIdField.optional().describe('record id; default: derived from the content, so re-sending the same evaluation is idempotent'),
  subject: subjectSchema,
  scheme: shape.scheme.describe('evaluation scheme, e.g. qingdao-enterprise-2026'),
  grade: shape.grade.describe('grade, e.g. A, B, C, D'),
  periodStart: shape.periodStart.describe('YYYY-MM-DD'),
  periodEnd: shape.periodEnd.describe('YYYY-MM-DD, not before periodStart'),
  validUntil: shape.validUntil.describe('RFC 3339 timestamp (stored in UTC); in the future, and not before periodEnd'),
  evidence: z.string().min(1).max(100_000).optional().describe('evidence text or reference; only its SHA-256 goes on the ledger'),
  evidenceHash: shape.evidenceHash.optional().describe('SHA-256 of the evidence, hex (instead of evidence)'),
};

/** The checks every evaluation body gets, whatever the route. */
function checked<T extends z.ZodType<{ evidence?: string; evidenceHash?: string; validUntil?: unknown; periodEnd?: unknown }>>(schema: T) {
  return (
    schema
      .refine((b) => !(b.evidence !== undefined && b.evidenceHash !== undefined), {
        message: 'send evidence or evidenceHash, not both',
        path: ['evidenceHash'],
      })
      .superRefine(validUntilCoversPeriod as never)
      // A result that is already expired cannot be recognised anywhere: refuse it (against this gateway's clock).
      .refine((b) => typeof b.validUntil !== 'string' || Date.parse(b.validUntil) > Date.now(), {
        message: 'must lie in the future',
        path: ['validUntil'],
      })
  );
}

/**
 * An evaluation as an operator sends it (`POST /api/v1/evaluations`): the
 * ledger's fields (same schemas as `evaluations:RecordEvaluation`), with the
 * subject named instead of pseudonymised and the evidence given as text or
 * as its hash.
 */
export const evaluationBody = checked(z.strictObject(evaluationFields)).describe('A credit evaluation result (信用评价)');

/**
 * One line of an evaluation import (`POST /api/v1/evaluations/bulk`, NDJSON
 * or CSV): an evaluation, optionally correcting (`supersedes`) or
 * withdrawing (`supersedes` + `withdrawn`) an earlier record of this city.
 */
export const evaluationImportLine = checked(
  z.strictObject({
    ...evaluationFields,
    supersedes: recordIdField.optional().describe('id of the earlier evaluation of this city that this one corrects or withdraws'),
    withdrawn: z.boolean().optional().describe('true: this record withdraws the one it supersedes'),
  }),
)
  .refine((b) => !b.withdrawn || b.supersedes !== undefined, {
    message: 'a withdrawal names the record it supersedes',
    path: ['supersedes'],
  })
  .describe('A credit evaluation result (信用评价) as one line of an import');

/** A parsed import line. */
export type EvaluationImportLine = z.output<typeof evaluationImportLine>;

/** A parsed evaluation body. */
export type EvaluationBody = z.output<typeof evaluationBody>;

/**
 * The ledger record of an evaluation: pseudonymised subject, evidence hash
 * (of the evidence text; else of the canonical evaluation itself), and an id
 * (the given one; else derived from the content).
 */
export function toLedgerEvaluation(
  city: CityId,
  secret: string,
  body: EvaluationBody,
  extra?: { supersedes?: string; withdrawn?: true },
): RecordEvaluationInput {
  const subjectPseudonym = pseudonymOf(secret, body.subject);
  const core = {
    subjectPseudonym,
    scheme: body.scheme,
    grade: body.grade,
    periodStart: body.periodStart,
    periodEnd: body.periodEnd,
    validUntil: body.validUntil,
  };
  // The content's canonical JSON in its fast form (a flat record of validated strings and `true`): the same text.
  const evidenceHash = body.evidenceHash ?? sha256Hex(body.evidence ?? canonicalJsonOfFlat(core));
  const id = body.id ?? `${city}-ev-h${sha256Hex(canonicalJsonOfFlat({ ...core, evidenceHash, ...(extra ?? {}) })).slice(0, 40)}`;
  return { id, ...core, evidenceHash };
}
