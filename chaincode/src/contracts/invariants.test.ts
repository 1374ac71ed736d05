import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  canonicalJson,
  cityByMspId,
  cityById,
  eventSealHash,
  eventSealKey,
  isCityId,
  isValidIdNumber,
  keySetCollection,
  LEDGER_INPUTS,
  type CityId,
} from '@jcc/domain';
import { contracts as contractClasses } from '../index.js';
import { declaredTransactions } from '../lib/decorators.js';
import { cityEndorsementPolicy } from '../lib/endorsementPolicy.js';
import { INDEX_VALUE } from '../lib/state.js';
import { FakeLedger, type Invocation } from '../lib/testing/fakeLedger.js';
import { contracts, type Contracts } from '../lib/testing/fixtures.js';
import { runFullScenario } from '../lib/testing/scenario.js';

/** The event each write transaction emits. */
const EVENT_OF: Record<string, string> = {
  'cities:RegisterKey': 'CityKeyRegistered',
  'cities:RevokeKey': 'CityKeyRevoked',
  'cities:RotateKey': 'CityKeyRotated',
  'identities:ProposeIdentity': 'IdentityProposed',
  'identities:ApproveIdentity': 'IdentityApproved',
  'identities:RevokeIdentity': 'IdentityRevoked',
  'cities:SetGatewayUrl': 'CityGatewayUrlSet',
  'reports:AnchorDocument': 'DocumentAnchored',
  'reports:AnchorBatch': 'BatchAnchored',
  'reports:RevokeDocument': 'DocumentRevoked',
  'reports:SupersedeDocument': 'DocumentSuperseded',
  'evaluations:RecordEvaluation': 'EvaluationRecorded',
  'evaluations:RecordEvaluations': 'EvaluationsRecorded',
  'evaluations:RecordEvaluationChunk': 'EvaluationChunkRecorded',
  'listEntries:CreateEntry': 'ListEntryCreated',
  'listEntries:RemoveEntry': 'ListEntryRemoved',
  'listEntries:RegisterObjection': 'ObjectionRegistered',
  'listEntries:AnswerObjection': 'ObjectionAnswered',
  'agencies:FileAgency': 'AgencyFiled',
  'agencies:SetAgencyStatus': 'AgencyStatusChanged',
  'agencies:SetAllianceMembership': 'AgencyAllianceChanged',
  'agencies:RecordSupervision': 'SupervisionRecorded',
  'recognition:ProposeAgreement': 'AgreementProposed',
  'recognition:AcceptAgreement': 'AgreementAccepted',
  'recognition:EndAgreement': 'AgreementEnded',
  'recognition:RecordRecognition': 'RecognitionRecorded',
  'accessLog:AnchorTreeHead': 'AccessLogHeadAnchored',
};

/** Every transaction of the API, as `contract:Transaction`. */
const ALL_TRANSACTIONS = Object.entries(LEDGER_INPUTS).flatMap(([contract, txs]) => Object.keys(txs).map((tx) => `${contract}:${tx}`));

function isWrite(transaction: string | undefined): boolean {
  return transaction !== undefined && transaction in EVENT_OF;
}

function submitterOf(invocation: Invocation): CityId {
  const city = cityByMspId(invocation.mspId);
  assert.ok(city, `known MSP ${invocation.mspId}`);
  return city.id;
}

function policyHex(city: CityId): string {
  return Buffer.from(cityEndorsementPolicy(cityById(city))).toString('hex');
}

function isIndexValue(value: Uint8Array): boolean {
  return Buffer.from(value).equals(Buffer.from(INDEX_VALUE));
}

describe('ledger-wide invariants, over a scenario running every transaction', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  before(async () => {
    ledger = new FakeLedger();
    c = contracts();
    await runFullScenario(ledger, c);
  });

  it('the eight contracts are exported under the API names and declare exactly its transactions, queries as evaluate-only', () => {
    const instances = contractClasses.map((Class) => new Class());
    assert.deepEqual(
      instances.map((i) => i.getName()),
      ['cities', 'reports', 'evaluations', 'listEntries', 'agencies', 'recognition', 'identities', 'accessLog'],
    );
    const declared = instances.flatMap((i) => [...declaredTransactions(i)].map(([name, kind]) => [`${i.getName()}:${name}`, kind]));
    assert.deepEqual(declared.map(([name]) => name).sort(), [...ALL_TRANSACTIONS].sort());
    for (const [name, kind] of declared) assert.equal(kind, isWrite(name) ? 'submit' : 'evaluate', name);
  });

  it('the scenario runs every transaction, and every write at least once for real', () => {
    const run = new Set(ledger.history.map((i) => i.transaction));
    for (const tx of ALL_TRANSACTIONS) assert.ok(run.has(tx), `${tx} was run`);
    for (const tx of Object.keys(EVENT_OF)) {
      assert.ok(
        ledger.history.some((i) => i.transaction === tx && !i.error && i.writes.size > 0),
        `${tx} wrote something at least once`,
      );
    }
  });

  it('queries write nothing, set no policy, emit nothing, and succeed in the scenario', () => {
    for (const inv of ledger.history.filter((i) => !isWrite(i.transaction))) {
      assert.equal(inv.error, undefined, `${inv.transaction}: ${inv.error?.message}`);
      assert.equal(inv.writes.size + inv.validationParameters.size + inv.events.length, 0, inv.transaction);
    }
  });

  it('write transactions run no paginated query (Fabric refuses those in a writing transaction)', () => {
    for (const inv of ledger.history.filter((i) => isWrite(i.transaction))) assert.equal(inv.paginatedQueries, 0, inv.transaction);
  });

  it('each write that changes the state emits exactly one event, named for it, with payload {...record, city, txId}', () => {
    for (const inv of ledger.history.filter((i) => isWrite(i.transaction) && i.writes.size > 0)) {
      assert.equal(inv.error, undefined);
      assert.equal(inv.events.length, 1, `${inv.transaction} emits one event`);
      const event = inv.events[0] as Invocation['events'][number];
      assert.equal(event.name, EVENT_OF[inv.transaction as string]);
      const text = Buffer.from(event.payload).toString('utf8');
      const payload = JSON.parse(text) as Record<string, unknown>;
      assert.equal(text, canonicalJson(payload), 'the payload is canonical JSON');
      const expected =
        inv.transaction === 'evaluations:RecordEvaluations'
          ? { count: (inv.result as { count: number }).count, ids: (inv.result as { ids: string[] }).ids }
          : inv.transaction === 'evaluations:RecordEvaluationChunk'
            ? // The chunk as its key holds it (without rows), and its rows: the event carries the rows.
              { ...chunkWritten(inv), rows: payload.rows }
            : (inv.result as Record<string, unknown>);
      if (inv.transaction === 'evaluations:RecordEvaluationChunk')
        assert.equal((payload.rows as unknown[]).length, (inv.result as { count: number }).count, 'the event carries every row');
      assert.deepEqual(payload, { ...expected, city: submitterOf(inv), txId: inv.txId }, inv.transaction);
    }
  });

  it('each event is sealed as its submitter’s: the city’s collection holds, under event/<txId>, the SHA-256 of the payload', async () => {
    for (const inv of ledger.history.filter((i) => i.events.length > 0)) {
      const city = submitterOf(inv);
      const held = ledger.world.privateHashes.get(`${keySetCollection(city)}\u0000${eventSealKey(inv.txId)}`);
      assert.equal(
        held && Buffer.from(held).toString('hex'),
        eventSealHash((inv.events[0] as Invocation['events'][number]).payload),
        inv.transaction,
      );
    }
    const last = ledger.history.findLast((i) => i.transaction === 'cities:GetEventSeals');
    const sealed = ledger.history.findLast((i) => i.events.length > 0 && submitterOf(i) === 'weihai');
    assert.ok(last && sealed);
    assert.equal(
      (last.result as { seals: { sealHash?: string }[] }).seals[0]?.sealHash,
      eventSealHash((sealed.events[0] as Invocation['events'][number]).payload),
    );
  });

  it('every record without a signature of its own is sealed by its owner (the SHA-256 of its bytes under its key)', () => {
    const sealedTypes = [
      'listEntry',
      'objection',
      'objectionAnswer',
      'agency',
      'supervision',
      'recognition',
      'agreement',
      'agreementEnd',
      'evaluation',
      'evaluationChunk',
      'documentStatus',
      'cityKeySet',
    ];
    let seen = 0;
    const typesSeen = new Set<string>();
    for (const [key, value] of ledger.world.values) {
      const [type] = key.split('\u0000').filter(Boolean);
      if (!type || !sealedTypes.includes(type)) continue;
      const owner = (JSON.parse(Buffer.from(value).toString('utf8')) as { city: CityId }).city;
      const held = ledger.world.privateHashes.get(`${keySetCollection(owner)}\u0000${key}`);
      assert.equal(
        held && Buffer.from(held).toString('hex'),
        createHash('sha256').update(createHash('sha256').update(value).digest()).digest('hex'),
        key,
      );
      seen++;
      typesSeen.add(type);
    }
    assert.ok(seen >= sealedTypes.length, `records of every sealed type were checked (${seen})`);
    assert.deepEqual([...typesSeen].sort(), [...sealedTypes].sort(), 'the scenario holds a record of each sealed type');
  });

  it('a write that changes nothing (an idempotent repeat) or is refused writes nothing and emits nothing', () => {
    let repeats = 0;
    let refusals = 0;
    for (const inv of ledger.history.filter((i) => isWrite(i.transaction) && i.writes.size === 0)) {
      assert.equal(inv.events.length, 0, inv.transaction);
      assert.equal(inv.validationParameters.size, 0, inv.transaction);
      if (inv.error) refusals++;
      else repeats++;
    }
    assert.ok(repeats >= 10, `the scenario has idempotent repeats (${repeats})`);
    assert.ok(refusals >= 5, `the scenario has refusals (${refusals})`);
  });

  it('every key written gets, in the same transaction, the key-level policy of its owner (the record’s city; the writer for an index entry), but for the evaluations’ subject index', () => {
    for (const inv of ledger.history.filter((i) => i.writes.size > 0)) {
      for (const [key, value] of inv.writes) {
        if (value === null || isUnprotectedSubjectIndex(key)) continue;
        const owner = isIndexValue(value) ? submitterOf(inv) : (JSON.parse(Buffer.from(value).toString('utf8')) as { city?: unknown }).city;
        assert.ok(isCityId(owner), `${inv.transaction}: record under ${JSON.stringify(key)} names its owning city`);
        const policy = inv.validationParameters.get(key);
        assert.ok(policy, `${inv.transaction}: ${JSON.stringify(key)} gets a policy`);
        assert.equal(
          Buffer.from(policy).toString('hex'),
          policyHex(owner),
          `${inv.transaction}: ${JSON.stringify(key)} is owned by ${owner}`,
        );
      }
      for (const key of inv.validationParameters.keys())
        assert.ok(inv.writes.has(key), `${inv.transaction}: a policy only for a key written`);
    }
  });

  it('every key in the world state carries the policy of one of the five cities', () => {
    const policies = new Set(['qingdao', 'yantai', 'weihai', 'weifang', 'rizhao'].map((city) => policyHex(city as CityId)));
    const snapshot = ledger.snapshot();
    for (const key of Object.keys(snapshot.values)) {
      if (isUnprotectedSubjectIndex(key)) {
        assert.equal(snapshot.validationParameters[key], undefined, `no policy on ${JSON.stringify(key)}`);
        continue;
      }
      assert.ok(policies.has(snapshot.validationParameters[key] as string), `policy of ${JSON.stringify(key)}`);
    }
  });

  it('every value written and every result returned is canonical JSON', () => {
    for (const [key, value] of ledger.world.values) {
      if (isIndexValue(value)) continue;
      const text = Buffer.from(value).toString('utf8');
      assert.equal(text, canonicalJson(JSON.parse(text)), JSON.stringify(key));
    }
    for (const inv of ledger.history.filter((i) => !i.error)) assert.equal(inv.resultText, canonicalJson(inv.result), inv.transaction);
  });

  it('no identity number is on the ledger, and a USCC only in the agency registry', () => {
    for (const [key, value] of ledger.world.values) {
      const text = `${key} ${Buffer.from(value).toString('utf8')}`;
      for (const match of text.matchAll(/\d{17}[\dX]/g))
        assert.equal(isValidIdNumber(match[0]), false, `identity number in ${JSON.stringify(key)}`);
      const isAgencyKey = key.startsWith('\u0000agency') || key.startsWith('\u0000supervision');
      if (!isAgencyKey) assert.doesNotMatch(text, /91370200MA/, `USCC outside the agency registry: ${JSON.stringify(key)}`);
    }
  });

  it('times come from the transaction timestamp only', () => {
    for (const inv of ledger.history.filter(
      (i) => isWrite(i.transaction) && i.writes.size > 0 && i.transaction !== 'evaluations:RecordEvaluations',
    )) {
      const result = inv.result as Record<string, unknown>;
      const stamped = [
        'registeredAt',
        'anchoredAt',
        'recordedAt',
        'createdAt',
        'answeredAt',
        'filedAt',
        'updatedAt',
        'at',
        'proposedAt',
        'acceptedAt',
        'endedAt',
      ]
        .map((field) => result[field])
        .filter((v) => v !== undefined);
      const revoked = inv.transaction === 'cities:RevokeKey' ? [result.revokedAt] : [];
      const removal = (result.removal as { at?: string } | undefined)?.at;
      assert.ok([...stamped, ...revoked, removal].includes(inv.timestamp), `${inv.transaction} stamps ${inv.timestamp}`);
    }
  });
});

/** The evaluations' subject index keys, written without a key-level policy (see writeSubjectIndex). */
function isUnprotectedSubjectIndex(_key: string): boolean {
  // Every index is owner-protected now (the evaluation subject index was not: another city could delete it).
  return false;
}

/** The one record a `RecordEvaluationChunk` wrote (the chunk without its rows). */
function chunkWritten(inv: Invocation): Record<string, unknown> {
  const values = [...inv.writes.values()];
  assert.equal(values.length, 1, 'a chunk is one state key');
  return JSON.parse(Buffer.from(values[0] as Uint8Array).toString('utf8')) as Record<string, unknown>;
}
