import type * as z from 'zod';
import { CodedError } from '../errors.js';

/** Any ledger input schema (see `LEDGER_INPUTS`). */
export type LedgerSchema = z.ZodType;

/** The value a ledger input schema yields once parsed. */
export type ParsedInput<S extends LedgerSchema> = z.output<S>;

/**
 * Turns zod issues into one line naming each field: `records[2].grade: must be ...`.
 * Unknown members are reported as `input: unknown field "x"` (or under their parent).
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map(describeIssue).join('; ');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.map((k) => JSON.stringify(k)).join(', ');
    return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${names}`;
  }
  return `${where}: ${issue.message}`;
}

/** `['records', 2, 'grade']` → `records[2].grade`; the empty path is `input`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'input';
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

/**
 * Parses `value` with a ledger input schema.
 *
 * @returns the parsed value (timestamps normalised, defaults applied).
 * @throws CodedError `INVALID_ARGUMENT` naming each offending field.
 */
export function parseLedgerInput<S extends LedgerSchema>(schema: S, value: unknown): ParsedInput<S> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CodedError('INVALID_ARGUMENT', 'input: must be a JSON object');
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new CodedError('INVALID_ARGUMENT', describeIssues(result.error.issues));
  return result.data;
}
