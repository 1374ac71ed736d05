import { CodedError, parseLedgerInput, type LedgerSchema, type ParsedInput } from '@jcc/domain';

/** Largest transaction argument accepted, in UTF-16 code units (a bulk of 500 evaluations fits easily). */
export const MAX_INPUT_LENGTH = 2 * 1024 * 1024;

/**
 * Parses a transaction's single argument: JSON text of an object, checked
 * against the transaction's input schema from `@jcc/domain`.
 *
 * @throws CodedError `INVALID_ARGUMENT` for text that is too long or not JSON, or input that fails the schema (naming each field).
 */
export function parseInput<S extends LedgerSchema>(schema: S, json: string): ParsedInput<S> {
  return parseLedgerInput(schema, jsonValue(json, 'input', 'a JSON object'));
}

/**
 * Like {@link parseInput}, for a transaction with a member that may travel in
 * the proposal's transient map (`LEDGER_TRANSIENT_MEMBERS` of `@jcc/domain`):
 * the member is taken from the argument or from the transient map under its
 * name, not from both, and the whole input is checked with the same schema.
 *
 * @throws CodedError `INVALID_ARGUMENT` as {@link parseInput} does, and when the member is given twice.
 */
export function parseInputWithTransient<S extends LedgerSchema>(
  schema: S,
  json: string,
  transient: ReadonlyMap<string, Uint8Array>,
  member: string,
): ParsedInput<S> {
  const value = jsonValue(json, 'input', 'a JSON object');
  const bytes = transient.get(member);
  if (bytes === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return parseLedgerInput(schema, value);
  if (member in value) throw new CodedError('INVALID_ARGUMENT', `${member}: send it in the argument or in the transient map, not in both`);
  const text = Buffer.from(bytes).toString('utf8');
  return parseLedgerInput(schema, { ...value, [member]: jsonValue(text, member, 'JSON') });
}

/** JSON text parsed, within {@link MAX_INPUT_LENGTH}. */
function jsonValue(json: string, what: string, expected: string): unknown {
  if (typeof json !== 'string') throw new CodedError('INVALID_ARGUMENT', `${what}: must be JSON text`);
  if (json.length > MAX_INPUT_LENGTH) throw new CodedError('INVALID_ARGUMENT', `${what}: must be at most ${MAX_INPUT_LENGTH} characters`);
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new CodedError('INVALID_ARGUMENT', `${what}: must be ${expected} (the text is not valid JSON)`);
  }
}
