import assert from 'node:assert/strict';
import { CliError, ExitCode } from './exit.js';
import { parseDocumentInput, proofProblem } from './bundle.js';

const JWS = 'eyJhbGciOiJFZERTQSJ9.eyJpZCI6InEifQ.c2ln';
const proof = {
  leafHash: 'a'.repeat(64),
  leafIndex: 1,
  treeSize: 2,
  auditPath: ['b'.repeat(64)],
  root: 'c'.repeat(64),
  txId: 't',
  blockNumber: 3,
};

function usage(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof CliError && err.exitCode === ExitCode.USAGE && pattern.test(err.message));
}

describe('document input', () => {
  it('reads a bare compact JWS without the final line end of its file, and trims nothing else', () => {
    assert.deepEqual(parseDocumentInput(`${JWS}\n`), { jws: JWS });
    assert.deepEqual(parseDocumentInput(`${JWS}\r\n`), { jws: JWS });
    assert.deepEqual(parseDocumentInput(`${JWS.slice(0, 10)}\n${JWS.slice(10)}\n`), { jws: `${JWS.slice(0, 10)}\n${JWS.slice(10)}` });
    assert.deepEqual(parseDocumentInput(`${JWS} \n`), { jws: `${JWS} ` });
  });

  it("passes a bundle's jws on exactly as written, a trailing newline included", () => {
    assert.deepEqual(parseDocumentInput(JSON.stringify({ jws: `${JWS}\n` })), { jws: `${JWS}\n` });
  });

  it('reads a bundle {jws, proof} and a report record', () => {
    assert.deepEqual(parseDocumentInput(JSON.stringify({ jws: JWS, proof })), { jws: JWS, proof });
    assert.deepEqual(parseDocumentInput(JSON.stringify({ id: 'r', state: 'anchored', jws: JWS, proof: null })), { jws: JWS });
  });

  it('reads a document in the JWS JSON serialization as its exact text (one final line end dropped)', () => {
    const text = '{"payload":"eyJ9","signatures":[{"protected":"eyJ9","signature":"AA"}]}';
    assert.deepEqual(parseDocumentInput(`${text}\n`), { jws: text });
    assert.deepEqual(parseDocumentInput(` ${text}`), { jws: ` ${text}` }, 'nothing but the final line end is dropped');
  });

  it('reads a JSON string holding a JWS', () => {
    assert.deepEqual(parseDocumentInput(JSON.stringify(JWS)), { jws: JWS });
  });

  it('refuses empty input, broken JSON, JSON without jws and a malformed proof, as usage errors', () => {
    usage(() => parseDocumentInput(' \n'), /empty/);
    usage(() => parseDocumentInput('{"jws": '), /does not parse/);
    usage(() => parseDocumentInput('{"document": "x"}'), /no string field "jws"/);
    usage(() => parseDocumentInput('"  "'), /empty/);
    usage(() => parseDocumentInput(JSON.stringify({ jws: JWS, proof: { ...proof, root: 'XYZ' } })), /proof.root/);
  });

  it('names the first malformed field of a proof', () => {
    assert.equal(proofProblem(proof), undefined);
    assert.match(proofProblem({ ...proof, leafIndex: -1 }) ?? '', /leafIndex/);
    assert.match(proofProblem({ ...proof, auditPath: ['nope'] }) ?? '', /auditPath/);
    assert.match(proofProblem({ ...proof, treeSize: 0 }) ?? '', /treeSize/);
    assert.match(proofProblem('x') ?? '', /object/);
  });
});
