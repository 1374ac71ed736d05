import assert from 'node:assert/strict';
import { LEDGER_INPUTS, type CityId } from '@jcc/domain';
import type { Contract } from 'fabric-contract-api';
import { refused } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import type { WorldSnapshot } from '../lib/testing/fakeWorldState.js';
import {
  agencyInput,
  agreementInput,
  anchorInput,
  batchInput,
  contracts,
  documentKid,
  entryInput,
  evaluationInput,
  hashOf,
  pseudonymOf,
  p256Jwk,
  usccOf,
  type Contracts,
} from '../lib/testing/fixtures.js';
import { runFullScenario } from '../lib/testing/scenario.js';

/**
 * Refused input changes nothing: every write transaction, given input that
 * is malformed in each way its fields can be, is refused with
 * `INVALID_ARGUMENT` naming the field, and the world state (values and
 * key-level policies) is exactly what it was, with no event emitted.
 */

type ContractName = keyof Contracts;

/** A valid input of a write transaction (against the scenario's state), and who sends it. */
interface WriteCase {
  contract: ContractName;
  tx: string;
  who: CityId;
  valid: Record<string, unknown>;
  /** Input fields (besides the common categories) whose values must be refused, by field name. */
  special?: Record<string, unknown[]>;
  /** Fields whose error is reported under another name (cross-field checks): [mutation, field named]. */
  ordering?: [Record<string, unknown>, string][];
}

const P256 = p256Jwk('qd-gw-2');
const { y: _y, ...P256_WITHOUT_Y } = P256;

const WRITES: WriteCase[] = [
  {
    contract: 'cities',
    tx: 'RegisterKey',
    who: 'qingdao',
    valid: { use: 'gateway', jwk: P256, validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z' },
    special: {
      jwk: [
        { ...P256, d: P256.x },
        { ...P256, kty: 'RSA' },
        { ...P256, crv: 'P-384' },
        { ...P256, x: 'short' },
        { ...P256, x: `${P256.x.slice(0, 42)}B` },
        { ...P256, extra: 1 },
        { ...P256, kid: 'bad kid' },
        { ...P256, alg: 'RS256' },
        P256_WITHOUT_Y,
        [P256],
      ],
    },
    ordering: [[{ validTo: '2026-01-01T00:00:00.000Z' }, 'validTo']],
  },
  { contract: 'cities', tx: 'RevokeKey', who: 'qingdao', valid: { kid: documentKid('qingdao'), revokedAt: '2026-06-01T00:00:00Z' } },
  { contract: 'cities', tx: 'SetGatewayUrl', who: 'qingdao', valid: { url: 'https://credit.qingdao.example/' } },
  {
    contract: 'cities',
    tx: 'RotateKey',
    who: 'qingdao',
    valid: { use: 'document', jwk: p256Jwk('qd-doc-rotated'), validFrom: '2026-06-01T00:00:00Z', previousKid: documentKid('qingdao') },
  },
  {
    contract: 'identities',
    tx: 'ProposeIdentity',
    who: 'qingdao',
    valid: { id: 'reg-new', role: 'regulator', jwk: P256, validFrom: '2026-01-01T00:00:00Z', validTo: '2027-01-01T00:00:00Z' },
    ordering: [[{ validTo: '2026-01-01T00:00:00.000Z' }, 'validTo']],
  },
  { contract: 'identities', tx: 'ApproveIdentity', who: 'yantai', valid: { id: 'reg-1' } },
  { contract: 'identities', tx: 'RevokeIdentity', who: 'qingdao', valid: { id: 'reg-1' } },
  {
    contract: 'reports',
    tx: 'AnchorDocument',
    who: 'qingdao',
    valid: anchorInput('qingdao', 'NEW-DOC'),
    ordering: [[{ validUntil: '2026-10-01T00:00:00Z' }, 'validUntil']],
  },
  {
    contract: 'reports',
    tx: 'AnchorBatch',
    who: 'qingdao',
    valid: batchInput('NEW-BATCH'),
    special: { leafCount: [0, -1, 1.5, 10_000_001, '1000', null], leafScheme: ['rfc6962-sha256', ''] },
    ordering: [[{ lastIssuedAt: '2026-10-01T00:00:00Z' }, 'lastIssuedAt']],
  },
  {
    contract: 'reports',
    tx: 'RevokeDocument',
    who: 'qingdao',
    valid: { id: 'NEW-IN-BATCH', reasonHash: hashOf('withdrawn'), batchId: 'QD-B-1' },
  },
  {
    contract: 'reports',
    tx: 'SupersedeDocument',
    who: 'qingdao',
    valid: { id: 'NEW-IN-BATCH-2', replacementId: 'NEW-REPLACEMENT', reasonHash: hashOf('reissued'), batchId: 'QD-B-1' },
    ordering: [[{ replacementId: 'NEW-IN-BATCH-2' }, 'replacementId']],
  },
  {
    contract: 'evaluations',
    tx: 'RecordEvaluation',
    who: 'weifang',
    valid: evaluationInput('NEW-EV'),
    special: { scheme: ['with space', '', 'x'.repeat(65)], grade: ['a', 'AB CD', 'ABCDEFGHI', '', '1A'] },
    ordering: [[{ periodEnd: '2025-12-31' }, 'periodEnd']],
  },
  {
    contract: 'evaluations',
    tx: 'RecordEvaluationChunk',
    who: 'qingdao',
    valid: {
      scheme: 'jiaodong-2026',
      periodStart: '2026-01-01',
      periodEnd: '2026-06-30',
      validUntil: '2027-06-30T00:00:00Z',
      rows: [['NEW-CH-1', pseudonymOf('alpha'), 'A', hashOf('evidence NEW-CH-1')]],
    },
    special: {
      scheme: ['with space', ''],
      rows: [[], 'not rows'],
    },
    ordering: [[{ periodEnd: '2025-12-31' }, 'periodEnd']],
  },
  {
    contract: 'evaluations',
    tx: 'RecordEvaluations',
    who: 'weifang',
    valid: { records: [evaluationInput('NEW-EV-1'), evaluationInput('NEW-EV-2')] },
    special: {
      records: [
        [],
        Array.from({ length: 501 }, (_, i) => evaluationInput(`MANY-${i}`)),
        [evaluationInput('NEW-EV-1'), evaluationInput('NEW-EV-1')],
        [evaluationInput('NEW-EV-1'), { ...evaluationInput('NEW-EV-2'), grade: 'bad grade' }],
        [evaluationInput('NEW-EV-1'), { ...evaluationInput('NEW-EV-2'), extra: true }],
        [evaluationInput('NEW-EV-1'), 'not an object'],
      ],
    },
  },
  {
    contract: 'listEntries',
    tx: 'CreateEntry',
    who: 'qingdao',
    valid: entryInput('NEW-ENTRY'),
    ordering: [[{ endDate: '2026-11-01' }, 'endDate']],
  },
  {
    contract: 'listEntries',
    tx: 'RemoveEntry',
    who: 'qingdao',
    valid: { id: 'QD-L-1', reason: 'courtDecision', noteHash: hashOf('法院判决'), evidenceHash: hashOf('court') },
    special: { reason: ['pardon', '', 'Expired'] },
  },
  {
    contract: 'listEntries',
    tx: 'RegisterObjection',
    who: 'rizhao',
    valid: { entryCity: 'qingdao', entryId: 'QD-L-1', objectionId: 'NEW-OBJ', groundsHash: hashOf('grounds') },
  },
  {
    contract: 'listEntries',
    tx: 'AnswerObjection',
    who: 'qingdao',
    valid: { objectionCity: 'weihai', objectionId: 'WH-O-1', outcome: 'upheld', noteHash: hashOf('复核'), answerHash: hashOf('answer') },
  },
  { contract: 'agencies', tx: 'FileAgency', who: 'weihai', valid: agencyInput(50) },
  {
    contract: 'agencies',
    tx: 'SetAgencyStatus',
    who: 'weihai',
    valid: { uscc: usccOf(1), status: 'active', reasonHash: hashOf('整改完成') },
  },
  { contract: 'agencies', tx: 'SetAllianceMembership', who: 'weihai', valid: { uscc: usccOf(1), member: false } },
  {
    contract: 'agencies',
    tx: 'RecordSupervision',
    who: 'yantai',
    valid: { uscc: usccOf(1), actionId: 'NEW-SUP', action: 'penalty', summaryHash: hashOf('罚款'), date: '2026-11-25' },
  },
  {
    contract: 'recognition',
    tx: 'ProposeAgreement',
    who: 'rizhao',
    valid: agreementInput('NEW-AGR', 'weifang'),
    ordering: [[{ validTo: '2025-01-01T00:00:00Z' }, 'validTo']],
  },
  { contract: 'recognition', tx: 'AcceptAgreement', who: 'yantai', valid: { agreementId: 'QY-1' } },
  { contract: 'recognition', tx: 'EndAgreement', who: 'qingdao', valid: { agreementId: 'QY-1', reasonHash: hashOf('到期') } },
  {
    contract: 'recognition',
    tx: 'RecordRecognition',
    who: 'weihai',
    valid: { issuerCity: 'qingdao', documentId: 'QD-1', decision: 'rejected', reasonHash: hashOf('已撤销') },
  },
  {
    contract: 'accessLog',
    tx: 'AnchorTreeHead',
    who: 'weihai',
    valid: {
      treeSize: 9,
      rootHash: 'a'.repeat(64),
      timestamp: '2026-12-01T00:00:00Z',
      signedTreeHead: 'eyJhbGciOiJFZERTQSJ9.e30.c2ln',
      consistencyProof: ['b'.repeat(64)],
    },
    special: {
      treeSize: [-1, 1.5, '9', 2 ** 53],
      rootHash: ['A'.repeat(64), 'a'.repeat(63), ''],
      timestamp: ['2026-12-01', 'soon', 1764115200000],
      signedTreeHead: ['', 'not a jws', 'a.b', `a.${'b'.repeat(4096)}.c`],
      consistencyProof: ['b'.repeat(64), ['B'.repeat(64)], Array.from({ length: 129 }, () => 'b'.repeat(64))],
    },
  },
];

const ID_FIELDS = [
  'id',
  'batchId',
  'entryId',
  'objectionId',
  'actionId',
  'agreementId',
  'documentId',
  'replacementId',
  'kid',
  'previousKid',
  'replacementBatchId',
];
const HASH_FIELDS = [
  'contentHash',
  'root',
  'evidenceHash',
  'groundsHash',
  'answerHash',
  'documentHash',
  'legalBasisHash',
  'measuresHash',
  'noteHash',
  'reasonHash',
  'summaryHash',
];
const TIMESTAMP_FIELDS = ['issuedAt', 'validUntil', 'validFrom', 'validTo', 'revokedAt', 'firstIssuedAt', 'lastIssuedAt'];
const DATE_FIELDS = ['periodStart', 'periodEnd', 'startDate', 'endDate', 'date'];
const TEXT_FIELDS = ['reason', 'name', 'summary'];
const CITY_FIELDS = ['entryCity', 'objectionCity', 'counterparty', 'issuerCity'];
const ENUM_FIELDS = ['use', 'docType', 'listType', 'outcome', 'status', 'action', 'decision', 'role'];
const LIST_FIELDS = ['services'];
const BOOLEAN_FIELDS = ['member', 'allianceMember'];

/** Values that must be refused for a field, by the field's kind. */
function badValuesFor(field: string, special: Record<string, unknown[]> | undefined): unknown[] {
  if (special?.[field]) return special[field];
  if (ID_FIELDS.includes(field)) return ['', 'with space', 'x'.repeat(129), 'ünï', 'a/b', 42];
  if (HASH_FIELDS.includes(field)) return ['A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64), ''];
  if (field === 'subjectPseudonym') return [`ps1-${'A'.repeat(64)}`, `ps2-${'a'.repeat(64)}`, '11010519491231002X', ''];
  if (TIMESTAMP_FIELDS.includes(field))
    return [
      '2026-11-26',
      '2026-11-26T08:00:00',
      '2026-11-26T08:00:00+0800',
      '2026-02-30T00:00:00Z',
      '2026-11-26T24:00:00Z',
      '2026-11-26T00:00:00.1234567890Z',
      'soon',
      1764115200000,
    ];
  if (DATE_FIELDS.includes(field)) return ['2026-13-01', '2026-11-31', '26-11-01', '2026-11-26T00:00:00Z', ''];
  if (TEXT_FIELDS.includes(field))
    return ['', '   ', 'x'.repeat(2001), 'bell\u0007', '当事人身份证号 11010519491231002X', `企业代码${usccOf(7)}`];
  if (CITY_FIELDS.includes(field)) return ['beijing', 'Qingdao', ''];
  if (ENUM_FIELDS.includes(field)) return ['unknown', '', 'ACTIVE'];
  if (LIST_FIELDS.includes(field)) return [[], Array.from({ length: 51 }, (_, i) => `item ${i}`), [''], ['ok', 42], 'not a list'];
  if (BOOLEAN_FIELDS.includes(field)) return ['true', 1, null];
  if (field === 'uscc') {
    const good = usccOf(1);
    return [good.slice(0, 17) + (good.endsWith('0') ? '1' : '0'), 'SHORT', good.toLowerCase(), `${good.slice(0, 16)}I${good.slice(17)}`];
  }
  if (field === 'url')
    return ['ftp://x.example/', 'https://u:p@x.example/', 'x.example', 'https://x.example/#frag', `https://x.example/${'a'.repeat(2048)}`];
  if (field === 'docTypes') return [[], ['creditReport', 'creditReport'], ['unknown'], 'creditReport'];
  if (field === 'jwk' || field === 'records' || field === 'leafCount' || field === 'leafScheme' || field === 'scheme' || field === 'grade')
    return [];
  throw new Error(`no bad values for field ${field}`);
}

/** A value of the wrong JSON type for the field's valid value. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'number') return 'a string';
  if (typeof value === 'boolean') return 'yes';
  return 12345;
}

describe('refused input changes nothing', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  before(async () => {
    ledger = new FakeLedger();
    c = contracts();
    await runFullScenario(ledger, c);
  });

  /** Sends `input` and checks the refusal: INVALID_ARGUMENT naming `field`, no write, no event, same world state. */
  async function expectRefusal(write: WriteCase, input: unknown, field: RegExp): Promise<void> {
    const before: WorldSnapshot = ledger.snapshot();
    const contract = c[write.contract] as unknown as Contract;
    const inv = await ledger.call(write.who, contract, write.tx as never, input);
    refused(inv, 'INVALID_ARGUMENT', field);
    assert.deepEqual(ledger.snapshot(), before);
  }

  it('every write transaction has a case here', () => {
    const writes = WRITES.map((w) => `${w.contract}:${w.tx}`);
    const queries = ['GetCity', 'ListCities', 'GetKey', 'GetDocument', 'GetBatch', 'ListDocumentsBySubject', 'GetEvaluation'];
    const all = Object.entries(LEDGER_INPUTS).flatMap(([contract, txs]) => Object.keys(txs).map((tx) => `${contract}:${tx}`));
    const expectedWrites = all.filter((t) => !/:(Get|List|Query|Is)/.test(t) && !queries.includes(t.split(':')[1] as string));
    assert.deepEqual([...writes].sort(), [...expectedWrites].sort());
  });

  for (const write of WRITES) {
    describe(`${write.contract}:${write.tx}`, () => {
      it('accepts the valid input used as the base of the bad ones', () => {
        const schema = (LEDGER_INPUTS as unknown as Record<string, Record<string, { safeParse(v: unknown): { success: boolean } }>>)[
          write.contract
        ]?.[write.tx];
        assert.ok(schema?.safeParse(write.valid).success, 'the base input is valid');
      });

      it('refuses text that is not a JSON object', async () => {
        await expectRefusal(write, '{"id": ', /^INVALID_ARGUMENT: input: must be a JSON object/);
        for (const text of ['[]', 'null', '"text"', '42', '']) await expectRefusal(write, text, /^INVALID_ARGUMENT: input: /);
      });

      it('refuses an unknown field', async () => {
        await expectRefusal(write, { ...write.valid, unexpected: 1 }, /input: unknown field "unexpected"/);
        await expectRefusal(write, { ...write.valid, city: 'qingdao' }, /input: unknown field "city"/);
      });

      it('refuses each required field missing, naming it', async () => {
        const shape = (LEDGER_INPUTS as unknown as Record<string, Record<string, { shape: Record<string, { isOptional(): boolean }> }>>)[
          write.contract
        ]?.[write.tx]?.shape as Record<string, { isOptional(): boolean }>;
        for (const field of Object.keys(write.valid).filter((f) => !shape[f]?.isOptional())) {
          const { [field]: _removed, ...input } = write.valid;
          await expectRefusal(write, input, new RegExp(`\\b${field}: is required`));
        }
      });

      it('refuses each field of the wrong JSON type, naming it', async () => {
        for (const [field, value] of Object.entries(write.valid)) {
          await expectRefusal(write, { ...write.valid, [field]: wrongType(value) }, new RegExp(`\\b${field}: `));
        }
      });

      it('refuses each malformed value of each field, naming the field', async () => {
        let tried = 0;
        for (const field of Object.keys(write.valid)) {
          for (const bad of badValuesFor(field, write.special)) {
            await expectRefusal(write, { ...write.valid, [field]: bad }, new RegExp(`\\b${field}(\\[\\d+\\])?(\\.\\w+)*: `));
            tried++;
          }
        }
        assert.ok(tried > 0);
      });

      if (write.ordering) {
        it('refuses values out of order, naming the later field', async () => {
          for (const [mutation, field] of write.ordering ?? []) {
            await expectRefusal(write, { ...write.valid, ...mutation }, new RegExp(`\\b${field}: must`));
          }
        });
      }
    });
  }

  it('an unknown MSP is refused with UNKNOWN_CITY by every write, and changes nothing', async () => {
    for (const write of WRITES) {
      const before = ledger.snapshot();
      const inv = await ledger.call('OtherOrgMSP', c[write.contract] as unknown as Contract, write.tx as never, write.valid);
      refused(inv, 'UNKNOWN_CITY', /OtherOrgMSP/);
      assert.deepEqual(ledger.snapshot(), before);
    }
  });
});
