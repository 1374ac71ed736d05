import assert from 'node:assert/strict';
import { CodedError } from '../errors.js';
import { personalIdentifierProblem } from './fields.js';
import { generateSm2PrivateJwk, sm2PublicJwk } from '../crypto/sm2-key.js';
import {
  anchorBatchInput,
  anchorDocumentInput,
  LEDGER_INPUTS,
  proposeAgreementInput,
  recordEvaluationInput,
  registerKeyInput,
} from './inputs.js';
import { describeIssues, formatPath, parseLedgerInput } from './parse.js';

const JWK = { kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 1).toString('base64url'), kid: 'qd-doc-1' };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CodedError);
    assert.equal(err.code, 'INVALID_ARGUMENT');
    return err.detail;
  }
  assert.fail('expected a refusal');
}

describe('ledger input schemas', () => {
  it('covers eight contracts and 49 transactions', () => {
    assert.deepEqual(Object.keys(LEDGER_INPUTS), [
      'cities',
      'identities',
      'reports',
      'evaluations',
      'listEntries',
      'agencies',
      'recognition',
      'accessLog',
    ]);
    assert.equal(
      Object.values(LEDGER_INPUTS).reduce((n, txs) => n + Object.keys(txs).length, 0),
      49,
    );
  });

  it('normalises timestamps and orders document types', () => {
    const parsed = parseLedgerInput(proposeAgreementInput, {
      agreementId: 'A',
      counterparty: 'yantai',
      docTypes: ['listEntry', 'creditReport'],
      validFrom: '2026-01-01T00:00:00Z',
      validTo: '2027-01-01T00:00:00.500Z',
    });
    assert.deepEqual(parsed.docTypes, ['creditReport', 'listEntry']);
    assert.equal(parsed.validFrom, '2026-01-01T00:00:00.000Z');
    const withOffset = parseLedgerInput(proposeAgreementInput, {
      agreementId: 'A',
      counterparty: 'yantai',
      docTypes: ['creditReport'],
      validFrom: '2026-01-01T08:00:00+08:00',
      validTo: '2026-01-01t00:00:00.1z',
    });
    assert.equal(withOffset.validFrom, '2026-01-01T00:00:00.000Z');
    assert.equal(withOffset.validTo, '2026-01-01T00:00:00.100Z');
  });

  it('refuses an evaluation valid until before its period ends', () => {
    const evaluation = {
      id: 'E',
      subjectPseudonym: `ps1-${'a'.repeat(64)}`,
      scheme: 's',
      grade: 'A',
      periodStart: '2026-01-01',
      periodEnd: '2026-06-30',
      evidenceHash: 'b'.repeat(64),
    };
    assert.match(
      refusal(() => parseLedgerInput(recordEvaluationInput, { ...evaluation, validUntil: '2026-06-29T23:59:59Z' })),
      /validUntil: must not be earlier than periodEnd/,
    );
    assert.equal(parseLedgerInput(recordEvaluationInput, { ...evaluation, validUntil: '2026-06-30T00:00:00Z' }).periodEnd, '2026-06-30');
  });

  it('refuses a private JWK by naming the private member, before anything else', () => {
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
      const detail = refusal(() =>
        parseLedgerInput(registerKeyInput, { use: 'document', jwk: { ...JWK, [member]: 'AAAA' }, validFrom: '2026-01-01T00:00:00Z' }),
      );
      assert.equal(detail, `jwk.${member}: is a private-key member: register the public key only`);
    }
  });

  it('accepts public SM2 keys (kty EC, crv SM2) whose point lies on the curve, and refuses private ones', () => {
    const key = generateSm2PrivateJwk();
    const jwk = { ...sm2PublicJwk(key), kid: 'qingdao.document.sm2', alg: 'SM2SM3', use: 'sig' };
    const parsed = parseLedgerInput(registerKeyInput, { use: 'document', jwk, validFrom: '2026-01-01T00:00:00Z' });
    assert.deepEqual(parsed.jwk, jwk);
    assert.equal(
      refusal(() => parseLedgerInput(registerKeyInput, { use: 'document', jwk: { ...jwk, y: jwk.x }, validFrom: '2026-01-01T00:00:00Z' })),
      'jwk.y: x/y must be a point of the SM2 curve',
    );
    assert.equal(
      refusal(() => parseLedgerInput(registerKeyInput, { use: 'document', jwk: { ...jwk, d: key.d }, validFrom: '2026-01-01T00:00:00Z' })),
      'jwk.d: is a private-key member: register the public key only',
    );
    assert.match(
      refusal(() =>
        parseLedgerInput(registerKeyInput, { use: 'document', jwk: { ...jwk, alg: 'ES256' }, validFrom: '2026-01-01T00:00:00Z' }),
      ),
      /jwk\.alg: must be SM2SM3/,
    );
  });

  it('takes an optional SM3 content hash on anchors, and an SM3 root on batches only with its leaf scheme', () => {
    const hex = 'ab'.repeat(32);
    const anchor = {
      id: 'd1',
      docType: 'creditReport',
      subjectPseudonym: `ps1-${'0'.repeat(64)}`,
      contentHash: hex,
      issuedAt: '2026-01-01T00:00:00Z',
      validUntil: '2027-01-01T00:00:00Z',
      kid: 'k',
    };
    assert.equal(parseLedgerInput(anchorDocumentInput, anchor).contentHashSm3, undefined);
    assert.equal(parseLedgerInput(anchorDocumentInput, { ...anchor, contentHashSm3: hex }).contentHashSm3, hex);
    assert.match(
      refusal(() => parseLedgerInput(anchorDocumentInput, { ...anchor, contentHashSm3: hex.toUpperCase() })),
      /^contentHashSm3: must be an SM3 digest/,
    );
    const batch = {
      batchId: 'b1',
      root: hex,
      leafCount: 3,
      leafScheme: 'rfc9162-sha256/v1',
      firstIssuedAt: '2026-01-01T00:00:00Z',
      lastIssuedAt: '2026-01-01T00:00:00Z',
    };
    assert.ok(anchorBatchInput.safeParse(batch).success);
    assert.equal(parseLedgerInput(anchorBatchInput, { ...batch, rootSm3: hex, leafSchemeSm3: 'rfc9162-sm3/v1' }).rootSm3, hex);
    assert.match(
      refusal(() => parseLedgerInput(anchorBatchInput, { ...batch, rootSm3: hex })),
      /^leafSchemeSm3: is required with rootSm3/,
    );
    assert.match(
      refusal(() => parseLedgerInput(anchorBatchInput, { ...batch, leafSchemeSm3: 'rfc9162-sm3/v1' })),
      /^rootSm3: is required/,
    );
    assert.match(
      refusal(() => parseLedgerInput(anchorBatchInput, { ...batch, rootSm3: hex, leafSchemeSm3: 'rfc9162-sha256/v1' })),
      /^leafSchemeSm3: must be rfc9162-sm3\/v1/,
    );
    assert.match(
      refusal(() => parseLedgerInput(anchorBatchInput, { ...batch, leafScheme: 'rfc9162-sm3/v1' })),
      /^leafScheme: must be/,
    );
  });

  it('accepts Ed25519 and P-256 keys, and refuses other curves and key types', () => {
    assert.ok(registerKeyInput.safeParse({ use: 'document', jwk: JWK, validFrom: '2026-01-01T00:00:00Z' }).success);
    const p256 = { kty: 'EC', crv: 'P-256', x: JWK.x, y: JWK.x, kid: 'gw', alg: 'ES256', use: 'sig' };
    assert.ok(registerKeyInput.safeParse({ use: 'gateway', jwk: p256, validFrom: '2026-01-01T00:00:00Z' }).success);
    assert.match(
      refusal(() =>
        parseLedgerInput(registerKeyInput, { use: 'gateway', jwk: { ...p256, crv: 'P-521' }, validFrom: '2026-01-01T00:00:00Z' }),
      ),
      /jwk\.crv/,
    );
    assert.match(
      refusal(() =>
        parseLedgerInput(registerKeyInput, {
          use: 'gateway',
          jwk: { kty: 'RSA', n: 'x', e: 'AQAB', kid: 'r' },
          validFrom: '2026-01-01T00:00:00Z',
        }),
      ),
      /jwk\.kty/,
    );
  });

  it('names every problem in one message', () => {
    const detail = refusal(() => parseLedgerInput(anchorDocumentInput, { id: 'x y', docType: 'memo', extra: true }));
    assert.match(detail, /^id: must be 1-128 characters/);
    assert.match(detail, /docType: must be one of creditReport, evaluation, listEntry, agencyFiling/);
    assert.match(detail, /subjectPseudonym: is required/);
    assert.match(detail, /input: unknown field "extra"/);
  });

  it('refuses input that is not an object', () => {
    for (const value of [null, [], 'text', 3])
      assert.equal(
        refusal(() => parseLedgerInput(anchorDocumentInput, value)),
        'input: must be a JSON object',
      );
  });

  it('formats paths and issues', () => {
    assert.equal(formatPath([]), 'input');
    assert.equal(formatPath(['records', 2, 'grade']), 'records[2].grade');
    assert.equal(
      describeIssues([{ code: 'unrecognized_keys', keys: ['a', 'b'], path: ['jwk'], message: 'x', input: {} }]),
      'jwk: unknown fields "a", "b"',
    );
  });

  it('finds identity numbers and credit codes embedded in free text', () => {
    assert.match(personalIdentifierProblem('当事人11010519491231002X违反') ?? '', /identity number/);
    assert.match(personalIdentifierProblem('code 91350100M000100Y43.') ?? '', /credit code/);
    assert.equal(personalIdentifierProblem('文号 2026-110105194912310021 号'), undefined, 'no valid check character');
    assert.equal(personalIdentifierProblem(`hash ${'1'.repeat(64)}`), undefined, 'digits inside a longer token');
    assert.equal(personalIdentifierProblem('《山东省社会信用条例》第三十一条'), undefined);
  });

  it('sees through spaces, separators, full-width characters and lower case (issue 11 §2, finding 8)', () => {
    for (const text of [
      '当事人 110105 1949 1231 002x',
      '身份证 １１０１０５１９４９１２３１００２Ｘ',
      '号码 110105-19491231-002X',
      'code 91350100m000100y43',
      'code ９１３５０１００Ｍ０００１００Ｙ４３',
      '张三, 手机13800138000, home address',
      'tel 138 0013 8000',
      'tel １３８－００１３－８０００',
    ])
      assert.notEqual(personalIdentifierProblem(text), undefined, text);
    for (const text of ['罚款 20000 元，限期 30 日', '2026年第12号决定', 'Article 31 of the regulation (2021)'])
      assert.equal(personalIdentifierProblem(text), undefined, text);
  });
});
