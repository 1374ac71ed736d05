import { idNumberCheckCharacter, isValidIdNumber, usccProblem } from '@jcc/domain';
import type { IssueReportRequest, SubjectInput } from './api.js';
import { usageError } from './exit.js';

/** Options of `jcc issue` that describe the report. */
export interface IssueFlags {
  uscc?: string;
  idNumber?: string;
  type: string;
  content?: string;
  validUntil?: string;
  validDays: string;
  anchor: string;
}

/** Reads `--content`: inline JSON, or `@file` already loaded by the caller into `fileText`. */
export function parseContent(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw usageError(`--content: not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw usageError('--content: must be a JSON object');
  return value as Record<string, unknown>;
}

/** The subject from `--uscc` or `--id-number` (exactly one), checked locally. */
export function subjectFrom(flags: Pick<IssueFlags, 'uscc' | 'idNumber'>): SubjectInput {
  if (flags.uscc !== undefined && flags.idNumber !== undefined) throw usageError('give either --uscc or --id-number, not both');
  if (flags.uscc !== undefined) {
    const uscc = flags.uscc.trim().toUpperCase();
    const problem = usccProblem(uscc);
    if (problem) throw usageError(`--uscc ${uscc}: ${problem}`);
    return { kind: 'enterprise', uscc };
  }
  if (flags.idNumber !== undefined) {
    const idNumber: string = flags.idNumber.trim().toUpperCase();
    if (!isValidIdNumber(String(idNumber))) {
      const body = idNumber.slice(0, 17);
      const hint = /^\d{17}$/.test(body) ? ` (the check character for these 17 digits is ${idNumberCheckCharacter(body)})` : '';
      throw usageError(`--id-number: not a valid identity number${hint}`);
    }
    return { kind: 'person', idNumber };
  }
  throw usageError('name the subject with --uscc <code> or --id-number <number>');
}

/** `--valid-until` as an RFC 3339 timestamp, or now + `--valid-days`. */
export function validUntilFrom(flags: Pick<IssueFlags, 'validUntil' | 'validDays'>, now: Date = new Date()): string {
  if (flags.validUntil !== undefined) {
    const text = flags.validUntil.trim();
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00.000Z` : text);
    if (Number.isNaN(ms)) throw usageError(`--valid-until: not a date: ${flags.validUntil}`);
    if (ms <= now.getTime()) throw usageError('--valid-until: must be in the future');
    return new Date(ms).toISOString();
  }
  if (!/^\d+$/.test(flags.validDays) || Number(flags.validDays) < 1 || Number(flags.validDays) > 3660)
    throw usageError('--valid-days: a whole number of days, 1..3660');
  return new Date(now.getTime() + Number(flags.validDays) * 86_400_000).toISOString();
}

/** The body of `POST /api/v1/reports` from the command-line flags. */
export function buildIssueRequest(flags: IssueFlags, contentText: string | undefined, now: Date = new Date()): IssueReportRequest {
  if (flags.anchor !== 'single' && flags.anchor !== 'batch') throw usageError('--anchor: single or batch');
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(flags.type)) throw usageError('--type: 1-64 characters of letters, digits, dot, dash, underscore');
  return {
    subject: subjectFrom(flags),
    reportType: flags.type,
    content: parseContent(contentText),
    validUntil: validUntilFrom(flags, now),
    anchor: flags.anchor,
  };
}
