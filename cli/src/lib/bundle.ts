import { readFile } from 'node:fs/promises';
import type { DocumentBundle } from './api.js';
import { usageError } from './exit.js';

const HEX64 = /^[0-9a-f]{64}$/;

/** Why `value` is not a well-formed inclusion proof, or `undefined` when it is. */
export function proofProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'proof must be an object';
  const p = value as Record<string, unknown>;
  if (typeof p.leafHash !== 'string' || !HEX64.test(p.leafHash)) return 'proof.leafHash must be 64 lower-case hex characters';
  if (typeof p.root !== 'string' || !HEX64.test(p.root)) return 'proof.root must be 64 lower-case hex characters';
  if (!Number.isSafeInteger(p.leafIndex) || (p.leafIndex as number) < 0) return 'proof.leafIndex must be a non-negative integer';
  if (!Number.isSafeInteger(p.treeSize) || (p.treeSize as number) < 1) return 'proof.treeSize must be a positive integer';
  if (!Array.isArray(p.auditPath) || !p.auditPath.every((h) => typeof h === 'string' && HEX64.test(h))) {
    return 'proof.auditPath must be a list of 64-hex-character hashes';
  }
  if (p.txId !== undefined && typeof p.txId !== 'string') return 'proof.txId must be a string';
  if (p.blockNumber !== undefined && !Number.isSafeInteger(p.blockNumber)) return 'proof.blockNumber must be an integer';
  if (p.batchId !== undefined && typeof p.batchId !== 'string') return 'proof.batchId must be a string';
  return undefined;
}

/**
 * Reads a document as a user saved it: a compact JWS (whitespace inside is
 * ignored), a JSON string holding one, or a JSON object with a string `jws`
 * and an optional `proof` (a saved bundle, or a report record of the gateway).
 *
 * @throws CliError (usage) when the text is empty or the JSON has no usable `jws`/`proof`.
 */
export function parseDocumentInput(text: string): DocumentBundle {
  const trimmed = text.trim();
  if (trimmed === '') throw usageError('the input is empty: give a compact JWS or a JSON file {jws, proof}');
  if (!trimmed.startsWith('{') && !trimmed.startsWith('"')) return { jws: trimmed.replace(/\s+/g, '') };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    throw usageError(`the input looks like JSON but does not parse: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof value === 'string') return parseDocumentInput(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw usageError('the JSON input must be an object {jws, proof?}');
  const record = value as Record<string, unknown>;
  if (typeof record.jws !== 'string' || record.jws.trim() === '') throw usageError('the JSON input has no string field "jws"');
  const jws = record.jws.replace(/\s+/g, '');
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
