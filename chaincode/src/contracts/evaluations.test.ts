import assert from 'node:assert/strict';
import type { EvaluationRecord, Page } from '@jcc/domain';
import { assertUnchanged, noOp, refused, singleEvent, succeeded } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import { contracts, evaluationInput, pseudonymOf, type Contracts } from '../lib/testing/fixtures.js';

describe('evaluations contract', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(() => {
    ledger = new FakeLedger();
    c = contracts();
  });

  describe('RecordEvaluation', () => {
    it('records an evaluation with the transaction time and emits EvaluationRecorded', async () => {
      const input = evaluationInput('EV-1');
      const inv = await ledger.call('weifang', c.evaluations, 'RecordEvaluation', input);
      const record = succeeded<EvaluationRecord>(inv);
      assert.deepEqual(record, {
        ...input,
        city: 'weifang',
        validUntil: '2027-06-30T00:00:00.000Z',
        recordedAt: inv.timestamp,
        txId: inv.txId,
      });
      const event = singleEvent(inv);
      assert.equal(event.name, 'EvaluationRecorded');
      assert.deepEqual(event.payload, { ...record, city: 'weifang', txId: inv.txId });
      assert.deepEqual(await ledger.ok('qingdao', c.evaluations, 'GetEvaluation', { city: 'weifang', id: 'EV-1' }), record);
    });

    it('ignores a forged subject index key that points at another subject’s evaluation', async () => {
      await ledger.ok('weifang', c.evaluations, 'RecordEvaluation', evaluationInput('EV-1', 'alpha'));
      // Subject index keys carry no key-level policy; forge one that files alpha's evaluation under beta.
      const forged = `\u0000evaluation~subject\u0000${pseudonymOf('beta')}\u0000weifang\u0000EV-1\u0000`;
      ledger.world.apply(new Map([[forged, new Uint8Array([0])]]), new Map());
      const page = await ledger.ok<Page<EvaluationRecord>>('qingdao', c.evaluations, 'QueryEvaluationsBySubject', {
        subjectPseudonym: pseudonymOf('beta'),
      });
      assert.deepEqual(page.records, []);
    });

    it('is idempotent for the same content and a conflict for another grade; history is a new id', async () => {
      await ledger.ok('weifang', c.evaluations, 'RecordEvaluation', evaluationInput('EV-1'));
      noOp(await ledger.call('weifang', c.evaluations, 'RecordEvaluation', evaluationInput('EV-1')));
      refused(await ledger.call('weifang', c.evaluations, 'RecordEvaluation', evaluationInput('EV-1', 'alpha', 'B')), 'CONFLICT', /grade/);
      await ledger.ok('weifang', c.evaluations, 'RecordEvaluation', evaluationInput('EV-2', 'alpha', 'B'));
      const page = await ledger.ok<Page<EvaluationRecord>>('qingdao', c.evaluations, 'QueryEvaluationsBySubject', {
        subjectPseudonym: pseudonymOf('alpha'),
      });
      assert.deepEqual(
        page.records.map((r) => [r.id, r.grade]),
        [
          ['EV-1', 'A'],
          ['EV-2', 'B'],
        ],
      );
    });

    it('refuses a period that ends before it starts, a bad scheme and a bad grade', async () => {
      refused(
        await ledger.call('weifang', c.evaluations, 'RecordEvaluation', { ...evaluationInput('x'), periodEnd: '2025-12-31' }),
        'INVALID_ARGUMENT',
        /periodEnd/,
      );
      refused(
        await ledger.call('weifang', c.evaluations, 'RecordEvaluation', { ...evaluationInput('x'), scheme: 'has space' }),
        'INVALID_ARGUMENT',
        /scheme/,
      );
      refused(
        await ledger.call('weifang', c.evaluations, 'RecordEvaluation', { ...evaluationInput('x'), grade: 'a' }),
        'INVALID_ARGUMENT',
        /grade/,
      );
      refused(
        await ledger.call('weifang', c.evaluations, 'RecordEvaluation', { ...evaluationInput('x'), periodStart: '2026-02-30' }),
        'INVALID_ARGUMENT',
        /periodStart/,
      );
    });

    it('GetEvaluation answers NOT_FOUND for an unknown evaluation', async () => {
      refused(await ledger.call('weifang', c.evaluations, 'GetEvaluation', { city: 'weifang', id: 'none' }), 'NOT_FOUND');
    });
  });

  describe('RecordEvaluations (bulk)', () => {
    it('records many evaluations in one transaction with one EvaluationsRecorded event', async () => {
      const records = Array.from({ length: 20 }, (_, i) => evaluationInput(`BULK-${String(i).padStart(2, '0')}`, `s${i % 3}`));
      const inv = await ledger.call('rizhao', c.evaluations, 'RecordEvaluations', { records });
      const result = succeeded<{ count: number; ids: string[]; unchanged: string[] }>(inv);
      assert.deepEqual(result, { count: 20, ids: records.map((r) => r.id), unchanged: [] });
      const event = singleEvent(inv);
      assert.equal(event.name, 'EvaluationsRecorded');
      assert.deepEqual(event.payload, { city: 'rizhao', count: 20, ids: records.map((r) => r.id), txId: inv.txId });
      const one = await ledger.ok<EvaluationRecord>('qingdao', c.evaluations, 'GetEvaluation', { city: 'rizhao', id: 'BULK-07' });
      assert.equal(one.txId, inv.txId);
    });

    it('skips evaluations already recorded with the same content; nothing new means no write and no event', async () => {
      await ledger.ok('rizhao', c.evaluations, 'RecordEvaluation', evaluationInput('E-1'));
      const inv = await ledger.call('rizhao', c.evaluations, 'RecordEvaluations', {
        records: [evaluationInput('E-1'), evaluationInput('E-2')],
      });
      assert.deepEqual(succeeded(inv), { count: 1, ids: ['E-2'], unchanged: ['E-1'] });
      assert.deepEqual(singleEvent(inv).payload.ids, ['E-2']);
      const again = await ledger.call('rizhao', c.evaluations, 'RecordEvaluations', {
        records: [evaluationInput('E-1'), evaluationInput('E-2')],
      });
      noOp(again);
      assert.deepEqual(again.result, { count: 0, ids: [], unchanged: ['E-1', 'E-2'] });
    });

    it('is all or nothing: a conflict on the last record refuses the whole transaction before any write', async () => {
      await ledger.ok('rizhao', c.evaluations, 'RecordEvaluation', evaluationInput('E-9'));
      await assertUnchanged(ledger, async () => {
        const records = [evaluationInput('E-1'), evaluationInput('E-2'), evaluationInput('E-9', 'alpha', 'D')];
        refused(await ledger.call('rizhao', c.evaluations, 'RecordEvaluations', { records }), 'CONFLICT', /rizhao\/E-9/);
      });
    });

    it('refuses an empty list, more than 500 records, and a repeated id (naming the item)', async () => {
      refused(await ledger.call('rizhao', c.evaluations, 'RecordEvaluations', { records: [] }), 'INVALID_ARGUMENT', /records/);
      const many = Array.from({ length: 501 }, (_, i) => evaluationInput(`M-${i}`));
      refused(await ledger.call('rizhao', c.evaluations, 'RecordEvaluations', { records: many }), 'INVALID_ARGUMENT', /at most 500/);
      refused(
        await ledger.call('rizhao', c.evaluations, 'RecordEvaluations', {
          records: [evaluationInput('D-1'), evaluationInput('D-2'), evaluationInput('D-1')],
        }),
        'INVALID_ARGUMENT',
        /records\[2\]\.id: repeats the id of records\[0\]/,
      );
      refused(
        await ledger.call('rizhao', c.evaluations, 'RecordEvaluations', {
          records: [evaluationInput('D-1'), { ...evaluationInput('D-2'), grade: '' }],
        }),
        'INVALID_ARGUMENT',
        /records\[1\]\.grade/,
      );
    });

    it('accepts exactly 500 records', async () => {
      const records = Array.from({ length: 500 }, (_, i) => evaluationInput(`F-${i}`));
      const result = succeeded<{ count: number }>(await ledger.call('rizhao', c.evaluations, 'RecordEvaluations', { records }));
      assert.equal(result.count, 500);
    });
  });

  describe('QueryEvaluationsBySubject', () => {
    it('pages through a subject across cities in several pages', async () => {
      for (const city of ['weihai', 'qingdao'] as const) {
        await ledger.ok(city, c.evaluations, 'RecordEvaluations', {
          records: Array.from({ length: 7 }, (_, i) => evaluationInput(`${city}-${i}`, 'delta')),
        });
      }
      await ledger.ok('qingdao', c.evaluations, 'RecordEvaluation', evaluationInput('other', 'epsilon'));
      const seen: string[] = [];
      let bookmark = '';
      let pages = 0;
      do {
        const page = await ledger.ok<Page<EvaluationRecord>>('rizhao', c.evaluations, 'QueryEvaluationsBySubject', {
          subjectPseudonym: pseudonymOf('delta'),
          pageSize: 4,
          bookmark,
        });
        seen.push(...page.records.map((r) => `${r.city}/${r.id}`));
        bookmark = page.bookmark;
        pages++;
      } while (bookmark !== '');
      assert.equal(pages, 4);
      assert.equal(seen.length, 14);
      assert.deepEqual(seen.slice(0, 2), ['qingdao/qingdao-0', 'qingdao/qingdao-1']);
      assert.equal(new Set(seen).size, 14);
    });

    it('uses the default page size of 50', async () => {
      await ledger.ok('weihai', c.evaluations, 'RecordEvaluations', {
        records: Array.from({ length: 60 }, (_, i) => evaluationInput(`W-${String(i).padStart(2, '0')}`, 'zeta')),
      });
      const page = await ledger.ok<Page<EvaluationRecord>>('rizhao', c.evaluations, 'QueryEvaluationsBySubject', {
        subjectPseudonym: pseudonymOf('zeta'),
      });
      assert.equal(page.records.length, 50);
      assert.notEqual(page.bookmark, '');
    });
  });
});
