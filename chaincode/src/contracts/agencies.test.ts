import assert from 'node:assert/strict';
import type { AgencyRecord, AgencyView, Page, SupervisionRecord } from '@jcc/domain';
import { noOp, refused, singleEvent, succeeded } from '../lib/testing/assertions.js';
import { FakeLedger } from '../lib/testing/fakeLedger.js';
import { agencyInput, contracts, hashOf, usccOf, type Contracts } from '../lib/testing/fixtures.js';

/** `RecordSupervision` input. */
function supervisionInput(n: number, actionId: string, action = 'inspection') {
  return { uscc: usccOf(n), actionId, action, summaryHash: hashOf(`joint inspection ${actionId}`), date: '2026-11-20' };
}

describe('agencies contract', () => {
  let ledger: FakeLedger;
  let c: Contracts;

  beforeEach(() => {
    ledger = new FakeLedger();
    c = contracts();
  });

  describe('FileAgency', () => {
    it('files an agency in the submitting city and emits AgencyFiled', async () => {
      const input = agencyInput(1);
      const inv = await ledger.call('weihai', c.agencies, 'FileAgency', input);
      const record = succeeded<AgencyRecord>(inv);
      assert.deepEqual(record, {
        ...input,
        city: 'weihai',
        status: 'active',
        filedAt: inv.timestamp,
        updatedAt: inv.timestamp,
        txId: inv.txId,
      });
      const event = singleEvent(inv);
      assert.equal(event.name, 'AgencyFiled');
      assert.deepEqual(event.payload, { ...record, city: 'weihai', txId: inv.txId });
    });

    it('is idempotent for the same content; another city filing it, or other content, is a CONFLICT', async () => {
      await ledger.ok('weihai', c.agencies, 'FileAgency', agencyInput(1));
      noOp(await ledger.call('weihai', c.agencies, 'FileAgency', agencyInput(1)));
      const { allianceMember: _a, ...withoutMembership } = agencyInput(1);
      noOp(await ledger.call('weihai', c.agencies, 'FileAgency', withoutMembership));
      refused(await ledger.call('yantai', c.agencies, 'FileAgency', agencyInput(1)), 'CONFLICT', /already filed by weihai/);
      refused(await ledger.call('weihai', c.agencies, 'FileAgency', agencyInput(1, 'Renamed')), 'CONFLICT', /name/);
    });

    it('defaults alliance membership to false and refuses an invalid USCC, naming the reason', async () => {
      const { allianceMember: _a, ...input } = agencyInput(2);
      assert.equal((await ledger.ok<AgencyRecord>('weihai', c.agencies, 'FileAgency', input)).allianceMember, false);
      const bad = usccOf(3).slice(0, 17) + (usccOf(3).endsWith('0') ? '1' : '0');
      refused(
        await ledger.call('weihai', c.agencies, 'FileAgency', { ...input, uscc: bad }),
        'INVALID_ARGUMENT',
        /uscc: must be a valid USCC: the check character/,
      );
    });
  });

  describe('SetAgencyStatus and SetAllianceMembership', () => {
    beforeEach(async () => {
      await ledger.ok('weihai', c.agencies, 'FileAgency', agencyInput(1));
    });

    it('the filing city changes the status (AgencyStatusChanged) and the status indexes follow', async () => {
      const inv = await ledger.call('weihai', c.agencies, 'SetAgencyStatus', {
        uscc: usccOf(1),
        status: 'suspended',
        reasonHash: hashOf('整改期间暂停'),
      });
      const record = succeeded<AgencyRecord>(inv);
      assert.equal(record.status, 'suspended');
      assert.equal(record.statusReasonHash, hashOf('整改期间暂停'));
      assert.equal(record.updatedAt, inv.timestamp);
      assert.equal(record.txId, inv.txId);
      const event = singleEvent(inv);
      assert.equal(event.name, 'AgencyStatusChanged');
      assert.deepEqual(event.payload, { ...record, city: 'weihai', txId: inv.txId });
      const active = await ledger.ok<Page<AgencyRecord>>('qingdao', c.agencies, 'ListAgencies', { status: 'active' });
      const suspended = await ledger.ok<Page<AgencyRecord>>('qingdao', c.agencies, 'ListAgencies', { city: 'weihai', status: 'suspended' });
      assert.deepEqual(active.records, []);
      assert.deepEqual(suspended.records, [record]);
    });

    it('refuses the same status again, another city, and an unknown agency', async () => {
      refused(
        await ledger.call('weihai', c.agencies, 'SetAgencyStatus', { uscc: usccOf(1), status: 'active', reasonHash: hashOf('r') }),
        'INVALID_STATE',
        /already active/,
      );
      refused(
        await ledger.call('rizhao', c.agencies, 'SetAgencyStatus', { uscc: usccOf(1), status: 'revoked', reasonHash: hashOf('r') }),
        'FORBIDDEN',
        /belongs to weihai/,
      );
      refused(
        await ledger.call('weihai', c.agencies, 'SetAgencyStatus', { uscc: usccOf(9), status: 'revoked', reasonHash: hashOf('r') }),
        'NOT_FOUND',
      );
    });

    it('the filing city admits the agency to the alliance (AgencyAllianceChanged); the same value again is INVALID_STATE', async () => {
      const inv = await ledger.call('weihai', c.agencies, 'SetAllianceMembership', { uscc: usccOf(1), member: true });
      const record = succeeded<AgencyRecord>(inv);
      assert.equal(record.allianceMember, true);
      const event = singleEvent(inv);
      assert.equal(event.name, 'AgencyAllianceChanged');
      assert.deepEqual(event.payload, { ...record, city: 'weihai', txId: inv.txId });
      refused(await ledger.call('weihai', c.agencies, 'SetAllianceMembership', { uscc: usccOf(1), member: true }), 'INVALID_STATE');
      refused(await ledger.call('qingdao', c.agencies, 'SetAllianceMembership', { uscc: usccOf(1), member: false }), 'FORBIDDEN');
      refused(
        await ledger.call('weihai', c.agencies, 'SetAllianceMembership', { uscc: usccOf(1), member: 'yes' }),
        'INVALID_ARGUMENT',
        /member: must be true or false/,
      );
    });
  });

  describe('RecordSupervision and GetAgency', () => {
    beforeEach(async () => {
      await ledger.ok('weihai', c.agencies, 'FileAgency', agencyInput(1));
    });

    it('any city records supervision in its own name (SupervisionRecorded); idempotent; conflict on other content', async () => {
      const input = supervisionInput(1, 'SUP-1', 'warning');
      const inv = await ledger.call('rizhao', c.agencies, 'RecordSupervision', input);
      const record = succeeded<SupervisionRecord>(inv);
      assert.deepEqual(record, { ...input, city: 'rizhao', recordedAt: inv.timestamp, txId: inv.txId });
      const event = singleEvent(inv);
      assert.equal(event.name, 'SupervisionRecorded');
      assert.deepEqual(event.payload, { ...record, city: 'rizhao', txId: inv.txId });
      noOp(await ledger.call('rizhao', c.agencies, 'RecordSupervision', input));
      refused(await ledger.call('rizhao', c.agencies, 'RecordSupervision', { ...input, action: 'penalty' }), 'CONFLICT', /action/);
      succeeded(await ledger.call('qingdao', c.agencies, 'RecordSupervision', input));
      refused(await ledger.call('rizhao', c.agencies, 'RecordSupervision', supervisionInput(7, 'SUP-1')), 'NOT_FOUND', /agency/);
    });

    it('GetAgency lists supervision newest first, at most 100', async () => {
      for (let i = 0; i < 103; i++) {
        await ledger.ok(i % 2 === 0 ? 'qingdao' : 'yantai', c.agencies, 'RecordSupervision', supervisionInput(1, `SUP-${i}`));
      }
      const inv = await ledger.call('weifang', c.agencies, 'GetAgency', { uscc: usccOf(1) });
      noOp(inv);
      const view = inv.result as AgencyView;
      assert.equal(view.city, 'weihai');
      assert.equal(view.supervision.length, 100);
      assert.equal(view.supervision[0]?.actionId, 'SUP-102');
      assert.equal(view.supervision[99]?.actionId, 'SUP-3');
      refused(await ledger.call('weifang', c.agencies, 'GetAgency', { uscc: usccOf(5) }), 'NOT_FOUND');
    });
  });

  describe('ListAgencies', () => {
    beforeEach(async () => {
      // 4 agencies in Weihai, 3 in Qingdao, 2 in Rizhao; one of each city's suspended.
      const plan: [string, number[]][] = [
        ['weihai', [10, 11, 12, 13]],
        ['qingdao', [20, 21, 22]],
        ['rizhao', [30, 31]],
      ];
      for (const [city, numbers] of plan) {
        for (const n of numbers) await ledger.ok(city, c.agencies, 'FileAgency', agencyInput(n));
        await ledger.ok(city, c.agencies, 'SetAgencyStatus', {
          uscc: usccOf(numbers[0] as number),
          status: 'suspended',
          reasonHash: hashOf('inspection'),
        });
      }
    });

    /** Every USCC number listed with `filter`, following bookmarks with pages of 2. */
    async function listAll(filter: Record<string, string>): Promise<number[]> {
      const seen: number[] = [];
      let bookmark = '';
      do {
        const page = await ledger.ok<Page<AgencyRecord>>('yantai', c.agencies, 'ListAgencies', { ...filter, pageSize: 2, bookmark });
        seen.push(...page.records.map((r) => Number(r.uscc.slice(10, 14))));
        bookmark = page.bookmark;
      } while (bookmark !== '');
      return seen;
    }

    it('lists all agencies, by USCC', async () => {
      assert.deepEqual(await listAll({}), [10, 11, 12, 13, 20, 21, 22, 30, 31]);
    });

    it('lists by filing city, by status, and by both', async () => {
      assert.deepEqual(await listAll({ city: 'weihai' }), [11, 12, 13, 10]);
      assert.deepEqual(await listAll({ status: 'suspended' }), [20, 30, 10]);
      assert.deepEqual(await listAll({ city: 'qingdao', status: 'active' }), [21, 22]);
      assert.deepEqual(await listAll({ city: 'yantai' }), []);
    });
  });
});
