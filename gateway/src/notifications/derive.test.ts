import assert from 'node:assert/strict';
import { LEDGER_EVENTS, type RecognitionRecord } from '@jcc/domain';
import type { Located } from '../fabric/records.js';
import type { IndexedAgency } from '../index/list-tables.js';
import type { AuditEvent } from '../index/tables.js';
import { deriveNotifications, type DerivationContext } from './derive.js';

const recognition = (decisions: Array<[RecognitionRecord['decision'], string]>): Located<RecognitionRecord> => {
  const [last, ...rest] = [...decisions].reverse();
  return {
    city: 'yantai',
    issuerCity: 'qingdao',
    documentId: 'doc-1',
    decision: last![0],
    reasonHash: 'a'.repeat(64),
    recordedAt: last![1],
    txId: 'tx-rec',
    history: rest
      .reverse()
      .map(([decision, recordedAt]) => ({ decision, reasonHash: 'a'.repeat(64), recordedAt, txId: `tx-${recordedAt}` })),
    blockNumber: 5,
  };
};

const ctx = (rec?: Located<RecognitionRecord>, agency?: IndexedAgency): DerivationContext => ({
  city: 'yantai',
  objectionDeadlineDays: 15,
  lookups: { recognitions: { get: async () => rec }, agencies: { get: async () => agency } },
});

const audit = (name: string, payload: Record<string, unknown>): AuditEvent => ({
  seq: 1,
  blockNumber: 9,
  transactionId: 'tx-9',
  name,
  city: payload.city as AuditEvent['city'],
  payload,
});

const revoked = audit(LEDGER_EVENTS.documentRevoked, {
  city: 'qingdao',
  id: 'doc-1',
  status: 'revoked',
  reasonHash: 'e'.repeat(64),
  at: '2026-12-01T10:00:00.000Z',
});

describe('deriveNotifications', () => {
  it('tells a city that a document it recognised was revoked, judged by the decision in force at the revocation', async () => {
    const [n] = await deriveNotifications(ctx(recognition([['accepted', '2026-12-01T09:00:00.000Z']])), revoked);
    assert.equal(n?.type, 'document.revoked');
    assert.equal(n?.city, 'yantai');
    assert.deepEqual(n?.ledger, { event: 'DocumentRevoked', blockNumber: 9, transactionId: 'tx-9' });
    // Accepted before, rejected after the revocation: it was recognised when revoked.
    const later = recognition([
      ['accepted', '2026-12-01T09:00:00.000Z'],
      ['rejected', '2026-12-01T11:00:00.000Z'],
    ]);
    assert.equal((await deriveNotifications(ctx(later), revoked)).length, 1);
    assert.equal((await deriveNotifications(ctx(recognition([['rejected', '2026-12-01T09:00:00.000Z']])), revoked)).length, 0);
    assert.equal((await deriveNotifications(ctx(recognition([['accepted', '2026-12-01T11:00:00.000Z']])), revoked)).length, 0);
    assert.equal((await deriveNotifications(ctx(undefined), revoked)).length, 0, 'not recognised: nothing');
  });

  it('gives the same fact the same id, so it is never reported twice', async () => {
    const rec = recognition([['accepted', '2026-12-01T09:00:00.000Z']]);
    const [a] = await deriveNotifications(ctx(rec), revoked);
    const [b] = await deriveNotifications(ctx(rec), revoked);
    assert.equal(a?.id, b?.id);
    assert.match(a?.id ?? '', /^ntf_[a-z2-7]{26}$/);
  });

  it('reports objections against this city’s entries with their deadline, and nothing for other cities’ entries', async () => {
    const objection = { city: 'weihai', objectionId: 'o-1', entryCity: 'yantai', entryId: 'e-1', registeredAt: '2026-12-01T00:00:00.000Z' };
    const [n] = await deriveNotifications(ctx(), audit(LEDGER_EVENTS.objectionRegistered, objection));
    assert.equal(n?.type, 'objection.raised');
    assert.equal(n?.data.deadline, '2026-12-16T00:00:00.000Z');
    assert.equal(
      (await deriveNotifications(ctx(), audit(LEDGER_EVENTS.objectionRegistered, { ...objection, entryCity: 'rizhao' }))).length,
      0,
    );
  });

  it('reports agreements proposed to this city, and ended by the other party only', async () => {
    const a = {
      agreementId: 'a-1',
      proposer: 'qingdao',
      counterparty: 'yantai',
      docTypes: [],
      validFrom: 'x',
      validTo: 'y',
      state: 'proposed',
      proposedAt: 't',
    };
    assert.equal(
      (await deriveNotifications(ctx(), audit(LEDGER_EVENTS.agreementProposed, { ...a, city: 'qingdao' })))[0]?.type,
      'agreement.proposed',
    );
    const ended = { ...a, state: 'ended', endedAt: 't2' };
    assert.equal(
      (await deriveNotifications(ctx(), audit(LEDGER_EVENTS.agreementEnded, { ...ended, endedBy: 'qingdao' })))[0]?.type,
      'agreement.ended',
    );
    assert.equal((await deriveNotifications(ctx(), audit(LEDGER_EVENTS.agreementEnded, { ...ended, endedBy: 'yantai' }))).length, 0);
    assert.equal((await deriveNotifications(ctx(), audit(LEDGER_EVENTS.agreementProposed, { ...a, counterparty: 'weihai' }))).length, 0);
  });

  it('reports a status change of an agency this city recorded supervision against', async () => {
    const record = {
      uscc: 'U1',
      city: 'qingdao',
      name: '某信用服务公司',
      services: [],
      status: 'suspended',
      allianceMember: true,
      filedAt: 't',
      updatedAt: 't2',
      txId: 'x',
    };
    const supervised = {
      ...record,
      blockNumber: 3,
      supervision: [{ uscc: 'U1', city: 'yantai', actionId: 'a', action: 'warning', summary: 's', date: 'd', recordedAt: 'r', txId: 'y' }],
    } as unknown as IndexedAgency;
    const [n] = await deriveNotifications(ctx(undefined, supervised), audit(LEDGER_EVENTS.agencyStatusChanged, record));
    assert.equal(n?.type, 'agency.status-changed');
    assert.equal(n?.data.status, 'suspended');
    const unsupervised = { ...supervised, supervision: [] } as IndexedAgency;
    assert.equal((await deriveNotifications(ctx(undefined, unsupervised), audit(LEDGER_EVENTS.agencyStatusChanged, record))).length, 0);
  });
});
