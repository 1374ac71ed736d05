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
  for await (const lines of splitLineChunks(stream, maxLineLength)) yield* lines;
}

/**
 * {@link splitLines}, a group at a time: the complete lines each chunk of
 * the stream brings (a group is never empty), so that a consumer can work
 * on the lines that arrived together at once.
 */
export async function* splitLineChunks(stream: AsyncIterable<Buffer | string>, maxLineLength: number): AsyncGenerator<NumberedLine[]> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  for await (const chunk of stream) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    const group: NumberedLine[] = [];
    let from = 0;
    let at: number;
    while ((at = pending.indexOf('\n', from)) >= 0) {
      line++;
      let text = pending.slice(from, at);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      from = at + 1;
      if (text.length > maxLineLength) throw new LineTooLongError(line, maxLineLength);
      if (text.trim() !== '') group.push({ line, text });
    }
    pending = pending.slice(from);
    if (pending.length > maxLineLength) throw new LineTooLongError(line + 1, maxLineLength);
    if (group.length) yield group;
  }
  pending += decoder.end();
  if (pending.trim() !== '') {
    line++;
    if (pending.length > maxLineLength) throw new LineTooLongError(line, maxLineLength);
    yield [{ line, text: pending.replace(/\r$/, '') }];
  }
}
