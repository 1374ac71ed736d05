import assert from 'node:assert/strict';
import type { AgreementView, Page, RecognitionRecord, RecognitionVerdict } from '@jcc/domain';
import { noOp, refused, singleEvent, succeeded } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import {
  agreementInput,
  anchorDocument,
  batchInput,
  contracts,
  entryInput,
  evaluationInput,
  hashOf,
  type Contracts,
} from '../lib/testing/fixtures.js';

describe('recognition contract', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(() => {
    ledger = new FakeLedger();
    c = contracts();
  });

  describe('agreements', () => {
    it('Qingdao proposes (AgreementProposed), Yantai accepts (AgreementAccepted), either ends (AgreementEnded)', async () => {
      const input = agreementInput('MOU-2026-1', 'yantai', ['evaluation', 'creditReport']);
      const proposed = await ledger.call('qingdao', c.recognition, 'ProposeAgreement', input);
      const view = succeeded<AgreementView>(proposed);
      assert.deepEqual(view, {
        agreementId: 'MOU-2026-1',
        proposer: 'qingdao',
        counterparty: 'yantai',
        docTypes: ['creditReport', 'evaluation'],
        validFrom: '2026-01-01T00:00:00.000Z',
        validTo: '2031-01-01T00:00:00.000Z',
        state: 'proposed',
        proposedAt: proposed.timestamp,
      });
      const proposedEvent = singleEvent(proposed);
      assert.equal(proposedEvent.name, 'AgreementProposed');
      assert.deepEqual(proposedEvent.payload, { ...view, city: 'qingdao', txId: proposed.txId });

      const accepted = await ledger.call('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'MOU-2026-1' });
      const active = succeeded<AgreementView>(accepted);
      assert.deepEqual(active, { ...view, state: 'active', acceptedAt: accepted.timestamp });
      const acceptedEvent = singleEvent(accepted);
      assert.equal(acceptedEvent.name, 'AgreementAccepted');
      assert.deepEqual(acceptedEvent.payload, { ...active, city: 'yantai', txId: accepted.txId });

      const ended = await ledger.call('yantai', c.recognition, 'EndAgreement', {
        agreementId: 'MOU-2026-1',
        reasonHash: hashOf('备忘录到期不再续签'),
      });
      const endedView = succeeded<AgreementView>(ended);
      assert.deepEqual(endedView, {
        ...active,
        state: 'ended',
        endedAt: ended.timestamp,
        endedBy: 'yantai',
        endReasonHash: hashOf('备忘录到期不再续签'),
      });
      const endedEvent = singleEvent(ended);
      assert.equal(endedEvent.name, 'AgreementEnded');
      assert.deepEqual(endedEvent.payload, { ...endedView, city: 'yantai', txId: ended.txId });
      assert.deepEqual(await ledger.ok('weihai', c.recognition, 'GetAgreement', { agreementId: 'MOU-2026-1' }), endedView);
    });

    it('a proposal is idempotent for the same content; other content or another proposer is a CONFLICT', async () => {
      await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput('A-1', 'yantai'));
      noOp(await ledger.call('qingdao', c.recognition, 'ProposeAgreement', agreementInput('A-1', 'yantai')));
      refused(await ledger.call('qingdao', c.recognition, 'ProposeAgreement', agreementInput('A-1', 'weihai')), 'CONFLICT', /counterparty/);
      refused(
        await ledger.call('yantai', c.recognition, 'ProposeAgreement', agreementInput('A-1', 'qingdao')),
        'CONFLICT',
        /proposed by qingdao/,
      );
    });

    it('refuses an agreement with oneself, validTo not after validFrom, and repeated document types', async () => {
      refused(
        await ledger.call('qingdao', c.recognition, 'ProposeAgreement', agreementInput('A-2', 'qingdao')),
        'INVALID_ARGUMENT',
        /counterparty/,
      );
      refused(
        await ledger.call('qingdao', c.recognition, 'ProposeAgreement', {
          ...agreementInput('A-2', 'yantai'),
          validTo: '2026-01-01T00:00:00Z',
        }),
        'INVALID_ARGUMENT',
        /validTo/,
      );
      refused(
        await ledger.call('qingdao', c.recognition, 'ProposeAgreement', agreementInput('A-2', 'yantai', ['evaluation', 'evaluation'])),
        'INVALID_ARGUMENT',
        /docTypes/,
      );
    });

    it('only the counterparty accepts, once, before the agreement ends or expires', async () => {
      await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput('A-3', 'yantai'));
      refused(await ledger.call('weihai', c.recognition, 'AcceptAgreement', { agreementId: 'A-3' }), 'FORBIDDEN', /only yantai/);
      refused(await ledger.call('qingdao', c.recognition, 'AcceptAgreement', { agreementId: 'A-3' }), 'FORBIDDEN');
      refused(await ledger.call('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'none' }), 'NOT_FOUND');
      await ledger.ok('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'A-3' });
      refused(await ledger.call('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'A-3' }), 'INVALID_STATE', /is active/);

      await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput('A-4', 'yantai'));
      await ledger.ok('qingdao', c.recognition, 'EndAgreement', { agreementId: 'A-4', reasonHash: hashOf('withdrawn') });
      refused(await ledger.call('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'A-4' }), 'INVALID_STATE', /is ended/);

      await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', {
        ...agreementInput('A-5', 'yantai'),
        validTo: '2026-11-26T00:00:30Z',
      });
      ledger.setTime('2026-12-01T00:00:00Z');
      refused(await ledger.call('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'A-5' }), 'INVALID_STATE', /expired/);
    });

    it('only the parties end an agreement, once', async () => {
      await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput('A-6', 'yantai'));
      refused(
        await ledger.call('rizhao', c.recognition, 'EndAgreement', { agreementId: 'A-6', reasonHash: hashOf('x') }),
        'FORBIDDEN',
        /parties/,
      );
      const ended = succeeded<AgreementView>(
        await ledger.call('qingdao', c.recognition, 'EndAgreement', { agreementId: 'A-6', reasonHash: hashOf('withdrawn') }),
      );
      assert.equal(ended.state, 'ended');
      assert.equal(ended.acceptedAt, undefined);
      refused(
        await ledger.call('yantai', c.recognition, 'EndAgreement', { agreementId: 'A-6', reasonHash: hashOf('x') }),
        'INVALID_STATE',
        /already ended/,
      );
      refused(await ledger.call('yantai', c.recognition, 'EndAgreement', { agreementId: 'none', reasonHash: hashOf('x') }), 'NOT_FOUND');
    });

    it('ListAgreements pages through the agreements a city is party to', async () => {
      for (let i = 0; i < 3; i++) await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput(`Q-Y-${i}`, 'yantai'));
      await ledger.ok('weihai', c.recognition, 'ProposeAgreement', agreementInput('W-Q-0', 'qingdao'));
      await ledger.ok('weihai', c.recognition, 'ProposeAgreement', agreementInput('W-R-0', 'rizhao'));
      const ids: string[] = [];
      let bookmark = '';
      let pages = 0;
      do {
        const page = await ledger.ok<Page<AgreementView>>('rizhao', c.recognition, 'ListAgreements', {
          city: 'qingdao',
          pageSize: 2,
          bookmark,
        });
        ids.push(...page.records.map((r) => r.agreementId));
        bookmark = page.bookmark;
        pages++;
      } while (bookmark !== '');
      assert.deepEqual(ids, ['W-Q-0', 'Q-Y-0', 'Q-Y-1', 'Q-Y-2']);
      assert.equal(pages, 2);
      const yantai = await ledger.ok<Page<AgreementView>>('rizhao', c.recognition, 'ListAgreements', { city: 'yantai' });
      assert.equal(yantai.records.length, 3);
    });
  });

  describe('recognition records', () => {
    beforeEach(async () => {
      for (const id of ['QD-1', 'd']) await anchorDocument(ledger, c, 'qingdao', id);
    });

    it("records a decision on another city's document (RecognitionRecorded); a new decision keeps the old one in history", async () => {
      const input = { issuerCity: 'qingdao', documentId: 'QD-1', decision: 'accepted', reasonHash: hashOf('核验一致') };
      const first = await ledger.call('weifang', c.recognition, 'RecordRecognition', input);
      const record = succeeded<RecognitionRecord>(first);
      assert.deepEqual(record, { ...input, city: 'weifang', recordedAt: first.timestamp, txId: first.txId, history: [] });
      const event = singleEvent(first);
      assert.equal(event.name, 'RecognitionRecorded');
      assert.deepEqual(event.payload, { ...record, city: 'weifang', txId: first.txId });
      noOp(await ledger.call('weifang', c.recognition, 'RecordRecognition', input));
      const second = await ledger.call('weifang', c.recognition, 'RecordRecognition', {
        ...input,
        decision: 'rejected',
        reasonHash: hashOf('报告已撤销'),
      });
      const replaced = succeeded<RecognitionRecord>(second);
      assert.equal(replaced.decision, 'rejected');
      assert.deepEqual(replaced.history, [
        { decision: 'accepted', reasonHash: hashOf('核验一致'), recordedAt: first.timestamp, txId: first.txId },
      ]);
      await ledger.ok('rizhao', c.recognition, 'RecordRecognition', input);
      const all = await ledger.ok<{ records: RecognitionRecord[] }>('yantai', c.recognition, 'GetRecognitions', {
        issuerCity: 'qingdao',
        documentId: 'QD-1',
      });
      assert.deepEqual(
        all.records.map((r) => [r.city, r.decision]),
        [
          ['rizhao', 'accepted'],
          ['weifang', 'rejected'],
        ],
      );
    });

    it('keeps free text off the ledger: a reason in clear is refused, only its hash is accepted', async () => {
      const clear = { issuerCity: 'qingdao', documentId: 'QD-1', decision: 'accepted', reason: '张三 tel 13800138000' };
      refused(await ledger.call('weihai', c.recognition, 'RecordRecognition', clear), 'INVALID_ARGUMENT', /reason/);
      await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput('QW-T', 'weihai'));
      refused(
        await ledger.call('weihai', c.recognition, 'EndAgreement', { agreementId: 'QW-T', reason: '张三 tel 13800138000' }),
        'INVALID_ARGUMENT',
        /reason/,
      );
    });

    it('refuses a document the ledger does not hold (UNKNOWN_REFERENCE, nothing written); a batch document is named with its batch', async () => {
      const decision = { issuerCity: 'qingdao', decision: 'accepted', reasonHash: hashOf('核验一致') };
      refused(
        await ledger.call('weihai', c.recognition, 'RecordRecognition', { ...decision, documentId: 'QD-never' }),
        'UNKNOWN_REFERENCE',
        /documentId: document qingdao\/QD-never is not on the ledger/,
      );
      refused(
        await ledger.call('weihai', c.recognition, 'RecordRecognition', { ...decision, documentId: 'QD-never', batchId: 'no-batch' }),
        'UNKNOWN_REFERENCE',
        /batch qingdao\/no-batch does not exist/,
      );
      // Another city's document under the same id does not count.
      await anchorDocument(ledger, c, 'yantai', 'YT-only');
      refused(await ledger.call('weihai', c.recognition, 'RecordRecognition', { ...decision, documentId: 'YT-only' }), 'UNKNOWN_REFERENCE');
      await ledger.ok('qingdao', c.reports, 'AnchorBatch', batchInput('QD-B-1'));
      succeeded(
        await ledger.call('weihai', c.recognition, 'RecordRecognition', { ...decision, documentId: 'QD-in-batch', batchId: 'QD-B-1' }),
      );
      await ledger.ok('qingdao', c.evaluations, 'RecordEvaluation', evaluationInput('QD-EV-1'));
      succeeded(await ledger.call('weihai', c.recognition, 'RecordRecognition', { ...decision, documentId: 'QD-EV-1' }));
      await ledger.ok('qingdao', c.listEntries, 'CreateEntry', entryInput('QD-LE-1'));
      succeeded(await ledger.call('weihai', c.recognition, 'RecordRecognition', { ...decision, documentId: 'QD-LE-1' }));
    });

    it("refuses recognising one's own document and an agreement that is not between the two cities", async () => {
      refused(
        await ledger.call('qingdao', c.recognition, 'RecordRecognition', {
          issuerCity: 'qingdao',
          documentId: 'd',
          decision: 'accepted',
          reasonHash: hashOf('r'),
        }),
        'INVALID_ARGUMENT',
        /issuerCity/,
      );
      await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput('QY', 'yantai'));
      refused(
        await ledger.call('weihai', c.recognition, 'RecordRecognition', {
          issuerCity: 'qingdao',
          documentId: 'd',
          decision: 'accepted',
          reasonHash: hashOf('r'),
          agreementId: 'QY',
        }),
        'INVALID_ARGUMENT',
        /not between weihai and qingdao/,
      );
      refused(
        await ledger.call('weihai', c.recognition, 'RecordRecognition', {
          issuerCity: 'qingdao',
          documentId: 'd',
          decision: 'accepted',
          reasonHash: hashOf('r'),
          agreementId: 'none',
        }),
        'NOT_FOUND',
      );
      succeeded(
        await ledger.call('yantai', c.recognition, 'RecordRecognition', {
          issuerCity: 'qingdao',
          documentId: 'd',
          decision: 'accepted',
          reasonHash: hashOf('r'),
          agreementId: 'QY',
        }),
      );
    });
  });

  describe('IsRecognised', () => {
    beforeEach(() => anchorDocument(ledger, c, 'qingdao', 'QD-7'));

    const question = {
      issuerCity: 'qingdao',
      documentId: 'QD-7',
      docType: 'creditReport',
      recognisingCity: 'yantai',
      at: '2026-12-01T00:00:00Z',
    };

    async function ask(overrides: Record<string, string> = {}): Promise<RecognitionVerdict> {
      const inv = await ledger.call('weihai', c.recognition, 'IsRecognised', { ...question, ...overrides });
      noOp(inv);
      return inv.result as RecognitionVerdict;
    }

    it('answers none without agreement or record, and not for a mere proposal', async () => {
      assert.deepEqual(await ask(), { recognised: false, basis: 'none' });
      await ledger.ok('yantai', c.recognition, 'ProposeAgreement', agreementInput('YQ', 'qingdao', ['creditReport']));
      assert.deepEqual(await ask(), { recognised: false, basis: 'none' });
    });

    it('answers agreement for an accepted agreement in either direction covering the type and the instant', async () => {
      await ledger.ok('yantai', c.recognition, 'ProposeAgreement', agreementInput('YQ', 'qingdao', ['creditReport']));
      await ledger.ok('qingdao', c.recognition, 'AcceptAgreement', { agreementId: 'YQ' });
      assert.deepEqual(await ask(), { recognised: true, basis: 'agreement', agreementId: 'YQ' });
      assert.deepEqual(await ask({ at: '2025-06-01T00:00:00Z' }), { recognised: false, basis: 'none' }, 'before validFrom');
      assert.deepEqual(await ask({ at: '2031-01-01T00:00:00Z' }), { recognised: false, basis: 'none' }, 'at validTo');
      assert.deepEqual(await ask({ docType: 'evaluation' }), { recognised: false, basis: 'none' }, 'another type');
      assert.deepEqual(await ask({ recognisingCity: 'weihai' }), { recognised: false, basis: 'none' }, 'another city');
    });

    it('an ended agreement still covers instants before its end, not after', async () => {
      await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput('QY', 'yantai', ['creditReport']));
      await ledger.ok('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'QY' });
      ledger.setTime('2027-01-01T00:00:00Z');
      await ledger.ok('qingdao', c.recognition, 'EndAgreement', { agreementId: 'QY', reasonHash: hashOf('ended') });
      assert.equal((await ask()).recognised, true);
      assert.equal((await ask({ at: '2027-06-01T00:00:00Z' })).recognised, false);
    });

    it('an explicit record wins over an agreement, a rejection included', async () => {
      await ledger.ok('qingdao', c.recognition, 'ProposeAgreement', agreementInput('QY', 'yantai', ['creditReport']));
      await ledger.ok('yantai', c.recognition, 'AcceptAgreement', { agreementId: 'QY' });
      await ledger.ok('yantai', c.recognition, 'RecordRecognition', {
        issuerCity: 'qingdao',
        documentId: 'QD-7',
        decision: 'rejected',
        reasonHash: hashOf('revoked'),
      });
      assert.deepEqual(await ask(), { recognised: false, basis: 'record', decision: 'rejected' });
      await ledger.ok('yantai', c.recognition, 'RecordRecognition', {
        issuerCity: 'qingdao',
        documentId: 'QD-7',
        decision: 'accepted',
        reasonHash: hashOf('ok'),
        agreementId: 'QY',
      });
      assert.deepEqual(await ask(), { recognised: true, basis: 'record', decision: 'accepted', agreementId: 'QY' });
    });

    it('refuses a question about a city recognising its own document', async () => {
      refused(
        await ledger.call('weihai', c.recognition, 'IsRecognised', { ...question, recognisingCity: 'qingdao' }),
        'INVALID_ARGUMENT',
        /recognisingCity/,
      );
    });
  });
});
