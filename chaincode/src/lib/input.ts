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
  if (typeof json !== 'string') throw new CodedError('INVALID_ARGUMENT', 'input: must be JSON text');
  if (json.length > MAX_INPUT_LENGTH) throw new CodedError('INVALID_ARGUMENT', `input: must be at most ${MAX_INPUT_LENGTH} characters`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CodedError('INVALID_ARGUMENT', 'input: must be a JSON object (the text is not valid JSON)');
  }
  return parseLedgerInput(schema, value);
}
