import { readFile } from 'node:fs/promises';
import { proofBundleSchema } from '@jcc/domain';
import type { DocumentBundle } from './api.js';
import { usageError } from './exit.js';

/** Why `value` is not a well-formed proof bundle (the verification core's schema), or `undefined` when it is. */
export function proofProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'proof must be an object';
  const parsed = proofBundleSchema.safeParse(value);
  if (parsed.success) return undefined;
  const first = parsed.error.issues[0];
  return `proof.${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`;
}

/** A text file's single final line end (`\n` or `\r\n`), which is not part of what it holds. */
const FINAL_LINE_END = /\r?\n$/;

/**
 * Reads a document as a user saved it: a compact JWS in a text file (its
 * one final line end is not part of it), a JSON string holding one, or a JSON
 * object with a string `jws` and an optional `proof` (a saved bundle, or a
 * report record of the gateway), or a document in the JWS JSON serialization
 * itself (an object of `payload` and `signatures`, as an SM2-configured city
 * issues it; its text, without one final line end, is the document). The JWS is passed on exactly as written:
 * nothing inside it or around it is trimmed, so a JWS with stray whitespace
 * is refused by verification as malformed, as every door refuses it.
 *
 * @throws CliError (usage) when the text is empty or the JSON has no usable `jws`/`proof`.
 */
export function parseDocumentInput(text: string): DocumentBundle {
  const trimmed = text.trim();
  if (trimmed === '') throw usageError('the input is empty: give a compact JWS or a JSON file {jws, proof}');
  if (!trimmed.startsWith('{') && !trimmed.startsWith('"')) return { jws: text.replace(FINAL_LINE_END, '') };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    throw usageError(`the input looks like JSON but does not parse: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value === 'string') {
    if (value.trim() === '') throw usageError('the input is empty: give a compact JWS or a JSON file {jws, proof}');
    return { jws: value };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw usageError('the JSON input must be an object {jws, proof?}');
  const record = value as Record<string, unknown>;
  if (record.jws === undefined && Array.isArray(record.signatures)) return { jws: text.replace(FINAL_LINE_END, '') };
  if (typeof record.jws !== 'string' || record.jws.trim() === '') throw usageError('the JSON input has no string field "jws"');
  const jws = record.jws;
  if (record.proof === undefined || record.proof === null) return { jws };
  const problem = proofProblem(record.proof);
  if (problem) throw usageError(`the JSON input has a malformed proof: ${problem}`);
  return { jws, proof: record.proof as NonNullable<DocumentBundle['proof']> };
}

/** Reads all of standard input as UTF-8. */
export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads a file, or standard input for `-`, as UTF-8.
 *
 * @throws CliError (usage) when the file cannot be read.
 */
export async function readTextInput(pathOrDash: string): Promise<string> {
  if (pathOrDash === '-') return readStdin();
  try {
    return await readFile(pathOrDash, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw usageError(`cannot read ${pathOrDash}: ${code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err)}`);
  }
}
