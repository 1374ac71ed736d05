import { isValidIdNumber, subjectPseudonym, usccProblem, type DocumentSubject, type SubjectIdentifier } from '@jcc/domain';
import { z } from 'zod';

/** Schema of a subject as an operator names it: an enterprise by USCC or a person by identity number. */
export const subjectSchema = z
  .discriminatedUnion('kind', [
    z
      .strictObject({
        kind: z.literal('enterprise'),
        uscc: z
          .string()
          .transform((v) => v.trim().toUpperCase())
          .superRefine((value, ctx) => {
            const problem = usccProblem(value);
            if (problem) ctx.addIssue({ code: 'custom', message: `must be a valid USCC: ${problem}` });
          })
          .describe('统一社会信用代码, 18 characters with a valid check character (GB 32100-2015)'),
      })
      .describe('an enterprise, by its unified social credit code'),
    z
      .strictObject({
        kind: z.literal('person'),
        idNumber: z
          .string()
          .transform((v) => v.trim().toUpperCase())
          .refine(isValidIdNumber, 'must be a valid 18-character resident identity number (GB 11643-1999)')
          .describe('居民身份证号码, 18 characters with a valid check character'),
      })
      .describe('a person, by their resident identity number'),
  ])
  .describe('The credit subject. Never written to the ledger or to logs: the gateway pseudonymises it.');

/** A subject as the operator named it, after normalisation. */
export type Subject = z.output<typeof subjectSchema>;

/** The subject's ledger pseudonym under the consortium secret. */
export function pseudonymOf(secret: string, subject: SubjectIdentifier): string {
  return subjectPseudonym(secret, subject);
}

/** The subject as written into a document: identifier plus pseudonym. */
export function documentSubject(secret: string, subject: Subject): DocumentSubject {
  const pseudonym = pseudonymOf(secret, subject);
  return subject.kind === 'enterprise'
    ? { kind: 'enterprise', uscc: subject.uscc, pseudonym }
    : { kind: 'person', idNumber: subject.idNumber, pseudonym };
}
