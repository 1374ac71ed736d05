import assert from 'node:assert/strict';
import { CodedError, getCityInput, listDocumentsBySubjectInput } from '@jcc/domain';
import { MAX_INPUT_LENGTH, parseInput } from './input.js';

function refusedWith(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof CodedError);
    assert.equal(err.code, 'INVALID_ARGUMENT');
    assert.match(err.message, pattern);
    return true;
  });
}

describe('transaction input', () => {
  it('parses JSON text with the transaction schema, applying defaults', () => {
    assert.deepEqual(parseInput(getCityInput, '{"city":"weihai"}'), { city: 'weihai' });
    assert.deepEqual(parseInput(listDocumentsBySubjectInput, JSON.stringify({ subjectPseudonym: `ps1-${'0'.repeat(64)}` })), {
      subjectPseudonym: `ps1-${'0'.repeat(64)}`,
      pageSize: 50,
      bookmark: '',
    });
  });

  it('refuses text that is not JSON, JSON that is not an object, and oversized text', () => {
    refusedWith(
      () => parseInput(getCityInput, '{city: weihai}'),
      /^INVALID_ARGUMENT: input: must be a JSON object \(the text is not valid JSON\)$/,
    );
    refusedWith(() => parseInput(getCityInput, '["weihai"]'), /input: must be a JSON object/);
    refusedWith(() => parseInput(getCityInput, 'null'), /input: must be a JSON object/);
    refusedWith(() => parseInput(getCityInput, ' '.repeat(MAX_INPUT_LENGTH + 1)), /at most/);
    refusedWith(() => parseInput(getCityInput, undefined as unknown as string), /JSON text/);
  });

  it('names every offending field in one message', () => {
    refusedWith(() => parseInput(getCityInput, '{"city":"beijing","x":1}'), /city: must be one of .*; input: unknown field "x"/);
  });
});
