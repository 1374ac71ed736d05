import { StringDecoder } from 'node:string_decoder';

/** A line of a streamed body, numbered from 1. */
export interface NumberedLine {
  line: number;
  text: string;
}

/** A line exceeded the allowed length. */
export class LineTooLongError extends Error {
  override readonly name = 'LineTooLongError';
  readonly line: number;

  constructor(line: number, max: number) {
    super(`line ${line} is longer than ${max} characters`);
    this.line = line;
  }
}

/**
 * Splits a byte stream into lines (LF or CRLF), decoding UTF-8 across chunk
 * boundaries. Reading is driven by the consumer, so a slow consumer slows
 * the upload down (back-pressure) instead of buffering it. Blank lines are
 * skipped but counted.
 */
export async function* splitLines(stream: AsyncIterable<Buffer | string>, maxLineLength: number): AsyncGenerator<NumberedLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let at: number;
    while ((at = pending.indexOf('\n')) >= 0) {
      line++;
      const text = pending.slice(0, at).replace(/\r$/, '');
      pending = pending.slice(at + 1);
      if (text.length > maxLineLength) throw new LineTooLongError(line, maxLineLength);
      if (text.trim() !== '') yield { line, text };
    }
    if (pending.length > maxLineLength) throw new LineTooLongError(line + 1, maxLineLength);
  }
  pending += decoder.end();
  if (pending.trim() !== '') {
    line++;
    if (pending.length > maxLineLength) throw new LineTooLongError(line, maxLineLength);
    yield { line, text: pending.replace(/\r$/, '') };
  }
}
