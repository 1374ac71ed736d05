import assert from 'node:assert/strict';
import type { ChaincodeEvent } from '@hyperledger/fabric-gateway';
import { LEDGER_EVENTS } from '@jcc/domain';
import { allianceStanding, searchAgencies } from '../agencies/search.js';
import { entryStatus, objectionView } from '../list-entries/list-routes.js';
import { recognitionScope } from '../recognition/list-routes.js';
import { filterFingerprint, readPage } from '../lists/page.js';
import { ScriptedLedger, silentLog, tempStore, everyEventSealed } from '../lib/testing.js';
import { nameTerms, normaliseName, queryTerms } from './agency-terms.js';
import { EventIndex } from './event-index.js';
import type { IndexedEntry } from './list-tables.js';

let tx = 0;
const event = (name: string, block: number, payload: Record<string, unknown>): ChaincodeEvent => {
  const id = `t${++tx}`;
  return {
    eventName: name,
    blockNumber: BigInt(block),
    transactionId: id,
    chaincodeName: 'creditchain',
    payload: new TextEncoder().encode(JSON.stringify({ ...payload, txId: id })),
  };
};

const entry = (id: string, createdAt: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  city: 'qingdao',
  id,
  subjectPseudonym: 'p'.repeat(64),
  listType: 'black',
  legalBasis: 'basis',
  measures: ['m'],
  startDate: '2026-01-01',
  state: 'listed',
  createdAt,
  ...extra,
});

async function withIndex(run: (index: EventIndex) => Promise<void>): Promise<void> {
  const env = await tempStore();
  try {
    await run(await EventIndex.open(env.store, new ScriptedLedger(), silentLog, {}, everyEventSealed));
  } finally {
    await env.cleanup();
  }
}

describe('list projections', () => {
  it('marks an entry removed by an upheld objection, which emits ObjectionAnswered and no ListEntryRemoved', () =>
    withIndex(async (index) => {
      await index.apply(event(LEDGER_EVENTS.listEntryCreated, 3, entry('le1', '2026-02-01T00:00:00.000Z')));
      await index.apply(
        event(LEDGER_EVENTS.objectionRegistered, 4, {
          city: 'yantai',
          objectionId: 'o1',
          entryCity: 'qingdao',
          entryId: 'le1',
          groundsHash: 'a'.repeat(64),
          registeredAt: '2026-02-02T00:00:00.000Z',
        }),
      );
      const answer = {
        city: 'qingdao',
        objectionCity: 'yantai',
        objectionId: 'o1',
        entryId: 'le1',
        outcome: 'upheld',
        note: 'wrong subject',
        entryRemoved: true,
        answeredAt: '2026-02-03T00:00:00.000Z',
      };
      await index.apply(event(LEDGER_EVENTS.objectionAnswered, 5, answer));
      const stored = await index.tables.entries.get('qingdao|le1');
      assert.equal(stored?.state, 'removed');
      assert.equal(stored?.removal?.reason, 'objectionUpheld');
      assert.equal(stored?.txId, 't1', 'the entry keeps its creating transaction');
      assert.equal(entryStatus(stored!, '2026-02-04'), 'objectionUpheld');
      assert.equal((await index.tables.objections.get('yantai|o1'))?.answer?.outcome, 'upheld');
    }));

  it('leaves an entry listed when the objection is rejected', () =>
    withIndex(async (index) => {
      await index.apply(event(LEDGER_EVENTS.listEntryCreated, 3, entry('le2', '2026-02-01T00:00:00.000Z')));
      await index.apply(
        event(LEDGER_EVENTS.objectionAnswered, 5, {
          city: 'qingdao',
          objectionCity: 'yantai',
          objectionId: 'o2',
          entryId: 'le2',
          outcome: 'rejected',
          note: 'n',
          entryRemoved: false,
          answeredAt: '2026-02-03T00:00:00.000Z',
        }),
      );
      assert.equal((await index.tables.entries.get('qingdao|le2'))?.state, 'listed');
    }));

  it('reports every removal path, and expiry past the end date without a removal', () => {
    const listed = { state: 'listed' as const, endDate: '2026-03-31' };
    assert.equal(entryStatus(listed, '2026-03-31'), 'listed', 'in force through its end date');
    assert.equal(entryStatus(listed, '2026-04-01'), 'expired');
    assert.equal(entryStatus({ state: 'listed' }, '2099-01-01'), 'listed', 'no end date: never expires');
    const removed = (reason: 'expired' | 'creditRepair' | 'objectionUpheld' | 'courtDecision') => ({
      state: 'removed' as const,
      removal: { reason, noteHash: '', at: '', txId: '' },
    });
    assert.equal(entryStatus(removed('creditRepair'), '2026-01-01'), 'repaired');
    assert.equal(entryStatus(removed('courtDecision'), '2026-01-01'), 'courtDecision');
    assert.equal(entryStatus(removed('expired'), '2026-01-01'), 'expired');
  });

  it('pages entries newest first with bookmarks: every entry once, filters bound to the bookmark', () =>
    withIndex(async (index) => {
      for (let i = 0; i < 23; i++) {
        const at = `2026-02-${String(1 + (i % 9)).padStart(2, '0')}T00:00:00.000Z`;
        await index.apply(event(LEDGER_EVENTS.listEntryCreated, 10 + i, entry(`e${String(i).padStart(2, '0')}`, at)));
      }
      const read = (bookmark?: string, filters: Record<string, unknown> = {}) =>
        readPage<IndexedEntry>({
          order: index.tables.entryOrder,
          prefix: 'c:qingdao|',
          descending: true,
          fingerprint: filterFingerprint('entries', filters),
          bookmark,
          pageSize: 5,
          load: (keys) => index.tables.entries.getMany(keys),
          accept: () => true,
        });
      const seen: string[] = [];
      let page = await read();
      let pages = 1;
      seen.push(...page.records.map((e) => e.id));
      while (page.bookmark) {
        page = await read(page.bookmark);
        pages++;
        seen.push(...page.records.map((e) => e.id));
      }
      assert.equal(pages, 5);
      assert.equal(seen.length, 23);
      assert.equal(new Set(seen).size, 23, 'no duplicates');
      const all = (await index.tables.entries.list()).map(([, e]) => e);
      const expected = all.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).map((e) => e.id);
      assert.deepEqual(seen, expected, 'createdAt descending, then id');
      const first = await read();
      await assert.rejects(read(first.bookmark, { type: 'red' }), /other filters/);
      await assert.rejects(read('not-a-bookmark'), /bookmark/);
    }));

  it('finds agencies by a Chinese name fragment through the bigram index, exactly, with standing consistent with status', () =>
    withIndex(async (index) => {
      const filed = (uscc: string, name: string, extra: Record<string, unknown> = {}) =>
        event(LEDGER_EVENTS.agencyFiled, 20, {
          uscc,
          city: 'qingdao',
          name,
          services: ['creditReport'],
          status: 'active',
          allianceMember: true,
          filedAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          ...extra,
        });
      await index.apply(filed('913702000000000001', '青岛信用评级有限公司'));
      await index.apply(filed('913702000000000002', '烟台诚信信用管理（集团）有限公司'));
      await index.apply(
        event(LEDGER_EVENTS.agencyStatusChanged, 21, {
          uscc: '913702000000000002',
          city: 'qingdao',
          name: '烟台诚信信用管理（集团）有限公司',
          services: ['creditReport'],
          status: 'suspended',
          statusReasonHash: 'c'.repeat(64),
          allianceMember: true,
          filedAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-02-01T00:00:00.000Z',
        }),
      );
      const search = (q: string, extra: Record<string, unknown> = {}) =>
        searchAgencies(index.tables, { q, ...extra }, 10, filterFingerprint('a', { q, ...extra }));
      assert.deepEqual(
        (await search('信用')).records.map((a) => a.uscc),
        ['913702000000000001', '913702000000000002'],
      );
      assert.deepEqual(
        (await search('青岛信用')).records.map((a) => a.name),
        ['青岛信用评级有限公司'],
      );
      assert.deepEqual((await search('岛信用管')).records, [], 'every bigram is present in some name, but not the whole fragment');
      assert.deepEqual(
        (await search('(集团)')).records.map((a) => a.uscc),
        ['913702000000000002'],
        'half- and full-width brackets alike',
      );
      const suspended = (await search('烟台')).records[0]!;
      assert.equal(suspended.statusReasonHash, 'c'.repeat(64));
      assert.equal(allianceStanding(suspended), 'suspended');
      assert.deepEqual((await search('信用', { alliance: 'goodStanding' })).records.length, 1);
    }));

  it('indexes names by characters and bigrams after normalising width, case and punctuation', () => {
    assert.equal(normaliseName('ＡＢＣ 信用（青岛）'), 'abc信用青岛');
    assert.deepEqual(nameTerms('信用社'), ['信', '用', '社', '信用', '用社']);
    assert.deepEqual(queryTerms('信'), ['信']);
    assert.deepEqual(queryTerms('信用社'), ['信用', '用社']);
  });

  it('keeps one order key per document and recognising city, at the block of its latest decision', () =>
    withIndex(async (index) => {
      const decision = (block: number, d: string) =>
        event(LEDGER_EVENTS.recognitionRecorded, block, {
          city: 'yantai',
          issuerCity: 'qingdao',
          documentId: 'doc1',
          decision: d,
          reason: 'r',
          recordedAt: '2026-01-01T00:00:00.000Z',
          history: [],
        });
      await index.apply(decision(30, 'accepted'));
      await index.apply(decision(31, 'rejected'));
      const keys = await index.tables.recognitionOrder.list({ gte: 'i:qingdao|', lt: 'i:qingdao|\uffff' });
      assert.equal(keys.length, 1);
      assert.match(keys[0]![0], /0031\|yantai\|doc1$/);
      assert.equal((await index.tables.recognitions.get(keys[0]![1]))?.decision, 'rejected');
    }));
});

describe('objection deadlines and recognition scopes', () => {
  it('flags a pending objection past its deadline as overdue, never an answered one', () => {
    const objection = {
      city: 'yantai' as const,
      objectionId: 'o',
      entryCity: 'qingdao' as const,
      entryId: 'e',
      groundsHash: 'a'.repeat(64),
      registeredAt: '2026-01-01T00:00:00.000Z',
      txId: 't',
      blockNumber: 1,
    };
    const day = 86_400_000;
    const start = Date.parse(objection.registeredAt);
    const pending = objectionView(objection, 15, start + 14 * day);
    assert.equal(pending.deadline, '2026-01-16T00:00:00.000Z');
    assert.equal(pending.overdue, false);
    assert.equal(objectionView(objection, 15, start + 16 * day).overdue, true);
    const answered = { ...objection, answer: { outcome: 'rejected' } as never };
    assert.equal(objectionView(answered, 15, start + 16 * day).overdue, false);
    assert.equal(objectionView(answered, 15, start + 16 * day).state, 'answered');
  });

  it("gives an operator the decisions on its own documents or its own decisions, and refuses other cities'", () => {
    const operator = { role: 'operator' as const, city: 'qingdao' as const, subject: 'op', tokenId: undefined };
    const regulator = { ...operator, role: 'regulator' as const };
    assert.equal(recognitionScope('qingdao', operator, undefined, undefined), 'i:qingdao|');
    assert.equal(recognitionScope('qingdao', operator, undefined, 'qingdao'), 'r:qingdao|');
    assert.equal(recognitionScope('qingdao', operator, 'yantai', 'qingdao'), 'r:qingdao|');
    assert.throws(() => recognitionScope('qingdao', operator, 'yantai', undefined), /own documents/);
    assert.equal(recognitionScope('qingdao', regulator, 'yantai', undefined), 'i:yantai|');
    assert.equal(recognitionScope('qingdao', regulator, undefined, undefined), 'all|');
  });
});
