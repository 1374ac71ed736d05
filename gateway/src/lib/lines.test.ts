import assert from 'node:assert/strict';
import { LineTooLongError, splitLines } from './lines.js';

async function collect(chunks: Array<string | Buffer>, max = 100) {
  const out = [];
  for await (const l of splitLines(
    (async function* () {
      yield* chunks;
    })(),
    max,
  ))
    out.push(l);
  return out;
}

describe('splitLines', () => {
  it('splits across chunks, handles CRLF, blank lines and a last line without newline', async () => {
    const text = Buffer.from('{"a":1}\r\n\n{"b":"青岛"}\n{"c":3}');
    const chunks = [text.subarray(0, 5), text.subarray(5, 14), text.subarray(14)];
    assert.deepEqual(await collect(chunks), [
      { line: 1, text: '{"a":1}' },
      { line: 3, text: '{"b":"青岛"}' },
      { line: 4, text: '{"c":3}' },
    ]);
  });

  it('stops at a line that is too long', async () => {
    await assert.rejects(collect(['x'.repeat(20) + '\n'], 10), LineTooLongError);
    await assert.rejects(collect(['y'.repeat(30)], 10), LineTooLongError);
  });
});
