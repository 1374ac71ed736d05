import assert from 'node:assert/strict';
import type { ListEntryRecord, ListEntryView, ObjectionAnswerRecord, ObjectionRecord, Page } from '@jcc/domain';
import { noOp, refused, singleEvent, succeeded } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import { contracts, entryInput, hashOf, pseudonymOf, type Contracts } from '../lib/testing/fixtures.js';

describe('listEntries contract', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(() => {
    ledger = new FakeLedger();
    c = contracts();
  });

  describe('CreateEntry', () => {
    it('lists a subject, emits ListEntryCreated, and is idempotent for the same content', async () => {
      const input = entryInput('BL-1');
      const inv = await ledger.call('qingdao', c.listEntries, 'CreateEntry', input);
      const record = succeeded<ListEntryRecord>(inv);
      assert.deepEqual(record, { ...input, city: 'qingdao', state: 'listed', createdAt: inv.timestamp, txId: inv.txId });
      const event = singleEvent(inv);
      assert.equal(event.name, 'ListEntryCreated');
      assert.deepEqual(event.payload, { ...record, city: 'qingdao', txId: inv.txId });
      noOp(await ledger.call('qingdao', c.listEntries, 'CreateEntry', input));
      refused(
        await ledger.call('qingdao', c.listEntries, 'CreateEntry', { ...input, measuresHash: hashOf('other') }),
        'CONFLICT',
        /measuresHash/,
      );
    });

    it('accepts an entry without end date or document hash', async () => {
      const { endDate: _e, documentHash: _d, ...input } = entryInput('RL-1', 'alpha', 'red');
      const record = await ledger.ok<ListEntryRecord>('yantai', c.listEntries, 'CreateEntry', input);
      assert.equal('endDate' in record, false);
      assert.equal(record.listType, 'red');
    });

    it('refuses an end date not after the start date, an unknown list type, and free text (only its hash goes on the ledger)', async () => {
      refused(
        await ledger.call('qingdao', c.listEntries, 'CreateEntry', { ...entryInput('x'), endDate: '2026-11-01' }),
        'INVALID_ARGUMENT',
        /endDate: must be later than startDate/,
      );
      refused(
        await ledger.call('qingdao', c.listEntries, 'CreateEntry', { ...entryInput('x'), listType: 'grey' }),
        'INVALID_ARGUMENT',
        /listType: must be one of red, black, keySupervision/,
      );
      refused(
        await ledger.call('qingdao', c.listEntries, 'CreateEntry', {
          ...entryInput('x'),
          legalBasis: '张三, 手机13800138000, home address',
        }),
        'INVALID_ARGUMENT',
        /unknown field "legalBasis"/,
      );
      refused(
        await ledger.call('qingdao', c.listEntries, 'CreateEntry', { ...entryInput('x'), measuresHash: '限制参与政府采购' }),
        'INVALID_ARGUMENT',
        /measuresHash: must be a SHA-256 digest/,
      );
    });
  });

  describe('RemoveEntry', () => {
    beforeEach(async () => {
      await ledger.ok('qingdao', c.listEntries, 'CreateEntry', entryInput('BL-1'));
    });

    it('removes the entry, keeping it with its removal, and emits ListEntryRemoved', async () => {
      const inv = await ledger.call('qingdao', c.listEntries, 'RemoveEntry', {
        id: 'BL-1',
        reason: 'creditRepair',
        noteHash: hashOf('完成信用修复'),
        evidenceHash: hashOf('repair'),
      });
      const record = succeeded<ListEntryRecord>(inv);
      assert.equal(record.state, 'removed');
      assert.deepEqual(record.removal, {
        reason: 'creditRepair',
        noteHash: hashOf('完成信用修复'),
        evidenceHash: hashOf('repair'),
        at: inv.timestamp,
        txId: inv.txId,
      });
      assert.equal(record.createdAt < inv.timestamp, true, 'the creation is kept');
      const event = singleEvent(inv);
      assert.equal(event.name, 'ListEntryRemoved');
      assert.deepEqual(event.payload, { ...record, city: 'qingdao', txId: inv.txId });
    });

    it('refuses removing a removed entry, an unknown entry, and an unknown reason', async () => {
      await ledger.ok('qingdao', c.listEntries, 'RemoveEntry', { id: 'BL-1', reason: 'expired', noteHash: hashOf('end date reached') });
      refused(
        await ledger.call('qingdao', c.listEntries, 'RemoveEntry', { id: 'BL-1', reason: 'expired', noteHash: hashOf('again') }),
        'INVALID_STATE',
        /already removed/,
      );
      refused(
        await ledger.call('qingdao', c.listEntries, 'RemoveEntry', { id: 'none', reason: 'expired', noteHash: hashOf('n') }),
        'NOT_FOUND',
      );
      refused(
        await ledger.call('qingdao', c.listEntries, 'RemoveEntry', { id: 'BL-1', reason: 'pardon', noteHash: hashOf('n') }),
        'INVALID_ARGUMENT',
        /reason/,
      );
    });
  });

  describe('objections', () => {
    beforeEach(async () => {
      await ledger.ok('qingdao', c.listEntries, 'CreateEntry', entryInput('BL-1'));
    });

    it('any city registers an objection in its own name (ObjectionRegistered); idempotent; conflict on other grounds', async () => {
      const input = { entryCity: 'qingdao', entryId: 'BL-1', objectionId: 'OBJ-1', groundsHash: hashOf('grounds') };
      const inv = await ledger.call('yantai', c.listEntries, 'RegisterObjection', input);
      const record = succeeded<ObjectionRecord>(inv);
      assert.deepEqual(record, { ...input, city: 'yantai', registeredAt: inv.timestamp, txId: inv.txId });
      const event = singleEvent(inv);
      assert.equal(event.name, 'ObjectionRegistered');
      assert.deepEqual(event.payload, { ...record, city: 'yantai', txId: inv.txId });
      noOp(await ledger.call('yantai', c.listEntries, 'RegisterObjection', input));
      refused(
        await ledger.call('yantai', c.listEntries, 'RegisterObjection', { ...input, groundsHash: hashOf('other') }),
        'CONFLICT',
        /groundsHash/,
      );
      succeeded(await ledger.call('qingdao', c.listEntries, 'RegisterObjection', { ...input, objectionId: 'OBJ-1' }));
    });

    it('refuses an objection to an unknown or removed entry', async () => {
      const input = { entryCity: 'qingdao', entryId: 'none', objectionId: 'OBJ-1', groundsHash: hashOf('g') };
      refused(await ledger.call('yantai', c.listEntries, 'RegisterObjection', input), 'NOT_FOUND', /qingdao\/none/);
      await ledger.ok('qingdao', c.listEntries, 'RemoveEntry', { id: 'BL-1', reason: 'courtDecision', noteHash: hashOf('judgment') });
      refused(await ledger.call('yantai', c.listEntries, 'RegisterObjection', { ...input, entryId: 'BL-1' }), 'INVALID_STATE', /removed/);
    });

    it('the issuing city rejects an objection: the entry stays listed (rewritten unchanged), ObjectionAnswered', async () => {
      await ledger.ok('weihai', c.listEntries, 'RegisterObjection', {
        entryCity: 'qingdao',
        entryId: 'BL-1',
        objectionId: 'OBJ-1',
        groundsHash: hashOf('g'),
      });
      const entryBefore = await ledger.ok<ListEntryView>('qingdao', c.listEntries, 'GetEntry', { city: 'qingdao', id: 'BL-1' });
      const inv = await ledger.call('qingdao', c.listEntries, 'AnswerObjection', {
        objectionCity: 'weihai',
        objectionId: 'OBJ-1',
        outcome: 'rejected',
        noteHash: hashOf('证据不足'),
      });
      const answer = succeeded<ObjectionAnswerRecord>(inv);
      assert.deepEqual(answer, {
        city: 'qingdao',
        objectionCity: 'weihai',
        objectionId: 'OBJ-1',
        entryId: 'BL-1',
        outcome: 'rejected',
        noteHash: hashOf('证据不足'),
        entryRemoved: false,
        answeredAt: inv.timestamp,
        txId: inv.txId,
      });
      const event = singleEvent(inv);
      assert.equal(event.name, 'ObjectionAnswered');
      assert.deepEqual(event.payload, { ...answer, city: 'qingdao', txId: inv.txId });
      assert.equal(inv.writes.size, 2, 'the answer and the entry');
      const entryAfter = await ledger.ok<ListEntryView>('qingdao', c.listEntries, 'GetEntry', { city: 'qingdao', id: 'BL-1' });
      assert.equal(entryAfter.state, 'listed');
      assert.deepEqual({ ...entryAfter, objections: [] }, { ...entryBefore, objections: [] });
      assert.deepEqual(entryAfter.objections[0]?.answer, answer);
    });

    it('an upheld objection removes the entry in the same transaction; answering twice is INVALID_STATE', async () => {
      await ledger.ok('weihai', c.listEntries, 'RegisterObjection', {
        entryCity: 'qingdao',
        entryId: 'BL-1',
        objectionId: 'OBJ-1',
        groundsHash: hashOf('g'),
      });
      await ledger.ok('rizhao', c.listEntries, 'RegisterObjection', {
        entryCity: 'qingdao',
        entryId: 'BL-1',
        objectionId: 'OBJ-9',
        groundsHash: hashOf('h'),
      });
      const inv = await ledger.call('qingdao', c.listEntries, 'AnswerObjection', {
        objectionCity: 'weihai',
        objectionId: 'OBJ-1',
        outcome: 'upheld',
        noteHash: hashOf('信息匹配错误'),
        answerHash: hashOf('answer'),
      });
      const answer = succeeded<ObjectionAnswerRecord>(inv);
      assert.equal(answer.entryRemoved, true);
      assert.equal(singleEvent(inv).name, 'ObjectionAnswered');
      const entry = await ledger.ok<ListEntryView>('yantai', c.listEntries, 'GetEntry', { city: 'qingdao', id: 'BL-1' });
      assert.equal(entry.state, 'removed');
      assert.deepEqual(entry.removal, {
        reason: 'objectionUpheld',
        noteHash: hashOf('信息匹配错误'),
        evidenceHash: hashOf('answer'),
        at: inv.timestamp,
        txId: inv.txId,
      });
      assert.deepEqual(
        entry.objections.map((o) => [o.city, o.objectionId, o.answer?.outcome]),
        [
          ['rizhao', 'OBJ-9', undefined],
          ['weihai', 'OBJ-1', 'upheld'],
        ],
      );
      refused(
        await ledger.call('qingdao', c.listEntries, 'AnswerObjection', {
          objectionCity: 'weihai',
          objectionId: 'OBJ-1',
          outcome: 'rejected',
          noteHash: hashOf('n'),
        }),
        'INVALID_STATE',
        /already answered/,
      );
      const second = succeeded<ObjectionAnswerRecord>(
        await ledger.call('qingdao', c.listEntries, 'AnswerObjection', {
          objectionCity: 'rizhao',
          objectionId: 'OBJ-9',
          outcome: 'upheld',
          noteHash: hashOf('same'),
        }),
      );
      assert.equal(second.entryRemoved, false, 'the entry was already removed');
    });

    it('only the issuing city answers; an unknown objection is NOT_FOUND', async () => {
      await ledger.ok('weihai', c.listEntries, 'RegisterObjection', {
        entryCity: 'qingdao',
        entryId: 'BL-1',
        objectionId: 'OBJ-1',
        groundsHash: hashOf('g'),
      });
      refused(
        await ledger.call('weihai', c.listEntries, 'AnswerObjection', {
          objectionCity: 'weihai',
          objectionId: 'OBJ-1',
          outcome: 'upheld',
          noteHash: hashOf('n'),
        }),
        'FORBIDDEN',
        /belongs to qingdao/,
      );
      refused(
        await ledger.call('qingdao', c.listEntries, 'AnswerObjection', {
          objectionCity: 'yantai',
          objectionId: 'OBJ-1',
          outcome: 'upheld',
          noteHash: hashOf('n'),
        }),
        'NOT_FOUND',
      );
    });
  });

  describe('queries', () => {
    it('GetEntry answers NOT_FOUND for an unknown entry', async () => {
      refused(await ledger.call('qingdao', c.listEntries, 'GetEntry', { city: 'qingdao', id: 'none' }), 'NOT_FOUND');
    });

    it('QueryEntriesBySubject pages through the entries of one subject across cities', async () => {
      for (let i = 0; i < 5; i++) {
        await ledger.ok('weifang', c.listEntries, 'CreateEntry', entryInput(`WF-${i}`, 'eta'));
        await ledger.ok('yantai', c.listEntries, 'CreateEntry', entryInput(`YT-${i}`, 'eta', 'keySupervision'));
      }
      await ledger.ok('yantai', c.listEntries, 'CreateEntry', entryInput('YT-other', 'theta'));
      const pages: string[][] = [];
      let bookmark = '';
      do {
        const page = await ledger.ok<Page<ListEntryRecord>>('qingdao', c.listEntries, 'QueryEntriesBySubject', {
          subjectPseudonym: pseudonymOf('eta'),
          pageSize: 3,
          bookmark,
        });
        pages.push(page.records.map((r) => r.id));
        bookmark = page.bookmark;
      } while (bookmark !== '');
      assert.deepEqual(pages, [['WF-0', 'WF-1', 'WF-2'], ['WF-3', 'WF-4', 'YT-0'], ['YT-1', 'YT-2', 'YT-3'], ['YT-4']]);
    });
  });
});
