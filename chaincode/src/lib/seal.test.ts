import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { canonicalJsonBytes, eventSealHash, keySetCollection, type CityId } from '@jcc/domain';
import { refused } from './testing/assertions.js';
import { FakeLedger } from './testing/fakeLedger.js';
import {
  agencyInput,
  agreementInput,
  anchorDocument,
  contracts,
  entryInput,
  evaluationInput,
  hashOf,
  type Contracts,
} from './testing/fixtures.js';

/**
 * What two colluding cities can do with a modified chaincode: create a record
 * under any key that does not exist yet (a creation needs only the chaincode
 * policy), optionally sealed in a collection they may write (their own), but
 * never in the named city's. Here Weifang writes the state directly.
 */
async function forge(
  ledger: FakeLedger,
  objectType: string,
  attributes: string[],
  record: Record<string, unknown>,
  sealIn?: CityId,
): Promise<string> {
  let key = '';
  const inv = await ledger.invoke('weifang', async (ctx) => {
    key = ctx.stub.createCompositeKey(objectType, attributes);
    const bytes = canonicalJsonBytes({ ...record, txId: ctx.stub.getTxID() });
    await ctx.stub.putState(key, bytes);
    if (sealIn) await ctx.stub.putPrivateData(keySetCollection(sealIn), key, createHash('sha256').update(bytes).digest());
    return '{}';
  });
  assert.equal(inv.error, undefined);
  return key;
}

describe('seals: a record counts as a city’s only when the city sealed it', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(() => {
    ledger = new FakeLedger();
    c = contracts();
  });

  it('a list entry created in Qingdao’s name is not found, not listed for its subject, and cannot be objected to', async () => {
    const entry = { ...entryInput('QD-E-F'), city: 'qingdao', state: 'listed', createdAt: '2026-11-26T00:00:00.000Z' };
    await forge(ledger, 'listEntry', ['qingdao', 'QD-E-F'], entry);
    await forge(ledger, 'listEntry~subject', [entry.subjectPseudonym, 'qingdao', 'QD-E-F'], {});
    refused(await ledger.call('yantai', c.listEntries, 'GetEntry', { city: 'qingdao', id: 'QD-E-F' }), 'NOT_FOUND');
    const page = await ledger.ok<{ records: unknown[] }>('yantai', c.listEntries, 'QueryEntriesBySubject', {
      subjectPseudonym: entry.subjectPseudonym,
      pageSize: 10,
    });
    assert.deepEqual(page.records, []);
    refused(
      await ledger.call('yantai', c.listEntries, 'RegisterObjection', {
        objectionId: 'OBJ-F',
        entryCity: 'qingdao',
        entryId: 'QD-E-F',
        groundsHash: hashOf('grounds'),
      }),
      'NOT_FOUND',
    );
  });

  it('a record sealed by a colluder but stored under Qingdao’s key counts for nothing either', async () => {
    await forge(ledger, 'evaluation', ['qingdao', 'QD-V-F'], { ...evaluationInput('QD-V-F'), city: 'weifang' }, 'weifang');
    await forge(ledger, 'evaluation', ['qingdao', 'QD-V-G'], { ...evaluationInput('QD-V-G'), city: 'qingdao' }, 'weifang');
    for (const id of ['QD-V-F', 'QD-V-G'])
      refused(await ledger.call('yantai', c.evaluations, 'GetEvaluation', { city: 'qingdao', id }), 'NOT_FOUND');
  });

  it('Qingdao’s own recording writes over what others created in its name, and counts', async () => {
    await forge(ledger, 'evaluation', ['qingdao', 'QD-V-1'], { ...evaluationInput('QD-V-1', 'alpha', 'D'), city: 'qingdao' });
    const own = await ledger.ok<{ grade: string }>('qingdao', c.evaluations, 'RecordEvaluation', evaluationInput('QD-V-1', 'alpha', 'A'));
    assert.equal(own.grade, 'A', 'not taken for an idempotent repeat of the forged record');
    const read = await ledger.ok<{ grade: string }>('yantai', c.evaluations, 'GetEvaluation', { city: 'qingdao', id: 'QD-V-1' });
    assert.equal(read.grade, 'A');
  });

  it('an agency filing, a supervision record and a recognition in another city’s name count for nothing', async () => {
    const agency = agencyInput(7);
    await forge(ledger, 'agency', [agency.uscc], {
      ...agency,
      city: 'qingdao',
      status: 'active',
      filedAt: '2026-11-26T00:00:00.000Z',
      updatedAt: '2026-11-26T00:00:00.000Z',
    });
    refused(await ledger.call('yantai', c.agencies, 'GetAgency', { uscc: agency.uscc }), 'NOT_FOUND');
    // Qingdao files it for real: the forged filing does not stand in its way.
    await ledger.ok('qingdao', c.agencies, 'FileAgency', agency);
    await forge(ledger, 'supervision', [agency.uscc, 'yantai', 'ACT-F'], {
      uscc: agency.uscc,
      city: 'yantai',
      actionId: 'ACT-F',
      action: 'warning',
      summaryHash: hashOf('forged'),
      date: '2026-11-20',
      recordedAt: '2026-11-26T00:00:00.000Z',
    });
    await forge(ledger, 'supervision~recency', [agency.uscc, '0000000000000', 'yantai', 'ACT-F'], {});
    const view = await ledger.ok<{ supervision: unknown[] }>('rizhao', c.agencies, 'GetAgency', { uscc: agency.uscc });
    assert.deepEqual(view.supervision, []);

    await anchorDocument(ledger, c, 'qingdao', 'QD-DOC-1');
    await forge(ledger, 'recognition', ['qingdao', 'QD-DOC-1', 'yantai'], {
      city: 'yantai',
      issuerCity: 'qingdao',
      documentId: 'QD-DOC-1',
      decision: 'rejected',
      reasonHash: hashOf('forged'),
      recordedAt: '2026-11-26T00:00:00.000Z',
      history: [],
    });
    const all = await ledger.ok<{ records: unknown[] }>('rizhao', c.recognition, 'GetRecognitions', {
      issuerCity: 'qingdao',
      documentId: 'QD-DOC-1',
    });
    assert.deepEqual(all.records, []);
    const verdict = await ledger.ok<{ basis: string }>('rizhao', c.recognition, 'IsRecognised', {
      issuerCity: 'qingdao',
      documentId: 'QD-DOC-1',
      docType: 'creditReport',
      recognisingCity: 'yantai',
      at: '2026-12-01T00:00:00Z',
    });
    assert.equal(verdict.basis, 'none');
  });

  it('an agreement ended or proposed in a party’s name is not ended or proposed', async () => {
    await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput('QY-1', 'yantai'));
    await ledger.ok('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'QY-1' });
    await forge(ledger, 'agreementEnd', ['QY-1'], {
      city: 'qingdao',
      agreementId: 'QY-1',
      reasonHash: hashOf('x'),
      endedAt: '2026-11-26T00:00:00.000Z',
    });
    const view = await ledger.ok<{ state: string }>('rizhao', c.recognition, 'GetAgreement', { agreementId: 'QY-1' });
    assert.equal(view.state, 'active');
    // Sealed by Weifang, which is not a party, it counts for nothing either.
    await forge(
      ledger,
      'agreementEnd',
      ['QY-2'],
      { city: 'weifang', agreementId: 'QY-2', reasonHash: hashOf('x'), endedAt: '2026-11-26T00:00:00.000Z' },
      'weifang',
    );
    await forge(ledger, 'agreement', ['QY-3'], {
      ...agreementInput('QY-3', 'yantai'),
      city: 'qingdao',
      proposer: 'qingdao',
      proposedAt: '2026-11-26T00:00:00.000Z',
    });
    refused(await ledger.call('rizhao', c.recognition, 'GetAgreement', { agreementId: 'QY-3' }), 'NOT_FOUND');
  });

  it('GetEventSeals answers, in the order asked, the seal of each city’s own event, and none for another city', async () => {
    const inv = await ledger.call('qingdao', c.listEntries, 'CreateEntry', entryInput('QD-E-1'));
    const payload = (inv.events[0] as { payload: Uint8Array }).payload;
    const answer = await ledger.ok<{ seals: { city: string; txId: string; sealHash?: string }[] }>('yantai', c.cities, 'GetEventSeals', {
      events: [
        { city: 'weifang', txId: inv.txId },
        { city: 'qingdao', txId: inv.txId },
      ],
    });
    assert.deepEqual(answer.seals, [
      { city: 'weifang', txId: inv.txId },
      { city: 'qingdao', txId: inv.txId, sealHash: eventSealHash(payload) },
    ]);
    refused(
      await ledger.call('yantai', c.cities, 'GetEventSeals', { events: [{ city: 'qingdao', txId: 'not-a-tx-id' }] }),
      'INVALID_ARGUMENT',
    );
    refused(await ledger.call('yantai', c.cities, 'GetEventSeals', { events: [] }), 'INVALID_ARGUMENT');
  });
});
