/**
 * The users' lists and search through five real gateways on the real
 * network: filters, pagination (bookmark round trip, no duplicates or
 * omissions), stable sort, access rules, every removal path in a list
 * entry's status, objections with deadlines, recognitions of my documents,
 * agency search by a Chinese name fragment and by USCC, and the subject
 * look-up with batch-anchored documents and objections.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- answers are read as loosely typed JSON */
import assert from 'node:assert/strict';
import type { CityId } from '@jcc/domain';
import { call, gateways, importEvaluations, runTag, testUscc, token, until, type Answer } from './harness.js';

const inAYear = (): string => new Date(Date.now() + 365 * 86_400_000).toISOString();

/** Reads every page of a list, following the bookmarks. */
async function allPages(
  city: CityId,
  path: string,
  bearer: string | undefined,
  pageSize: number,
): Promise<{ records: any[]; pages: number }> {
  const records: any[] = [];
  let bookmark = '';
  let pages = 0;
  for (;;) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await call(city, 'GET', `${path}${sep}pageSize=${pageSize}${bookmark ? `&bookmark=${encodeURIComponent(bookmark)}` : ''}`, {
      token: bearer,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.records.length <= pageSize, 'a page holds at most pageSize records');
    records.push(...res.body.records);
    pages++;
    if (!res.body.bookmark) return { records, pages };
    bookmark = res.body.bookmark;
  }
}

/** The pseudonym of a subject (the subject look-up answers it). */
async function pseudonymOf(subject: object): Promise<string> {
  const res = await call('qingdao', 'POST', '/api/v1/subjects/lookup', { token: await token('qingdao', 'regulator'), body: { subject } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.pseudonym;
}

describe('lists and search', function () {
  before(async function () {
    await gateways();
  });

  describe("a city's own documents (GET /api/v1/reports)", function () {
    const subject = { kind: 'enterprise', uscc: testUscc(`R${runTag}`) };
    let pseudonym = '';
    const ids: string[] = [];

    before(async function () {
      const op = await token('qingdao', 'operator');
      for (const anchor of ['single', 'batch', 'single', 'batch', 'single']) {
        const res = await call('qingdao', 'POST', '/api/v1/reports', {
          token: op,
          body: { subject, reportType: 'publicCreditReport', content: { n: ids.length }, validUntil: inAYear(), anchor },
        });
        assert.equal(res.status, 202, JSON.stringify(res.body));
        ids.push(res.body.id);
      }
      pseudonym = await pseudonymOf(subject);
    });

    it('pages through them newest first with bookmarks, each once, filtered by subject', async function () {
      const op = await token('qingdao', 'operator');
      const { records, pages } = await allPages('qingdao', `/api/v1/reports?subject=${pseudonym}`, op, 2);
      assert.equal(pages, 3);
      assert.deepEqual(records.map((r) => r.id).sort(), [...ids].sort(), 'every document once, no duplicates, no omissions');
      const order = [...records].sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || b.id.localeCompare(a.id));
      assert.deepEqual(
        records.map((r) => r.id),
        order.map((r) => r.id),
        'issuedAt descending, then id',
      );
      assert.ok(records.some((r) => r.anchor.mode === 'batch') && records.some((r) => r.anchor.mode === 'single'));
      assert.ok(
        records.every((r) => r.jws === undefined),
        'a list carries no document bodies',
      );
    });

    it('filters by state and date range', async function () {
      const op = await token('qingdao', 'operator');
      await until(
        async () => call('qingdao', 'GET', `/api/v1/reports/${ids[0]}`, { token: op }),
        (r) => r.body.state === 'anchored',
        30_000,
        'the first report anchored',
      );
      const revoked = await call('qingdao', 'POST', `/api/v1/reports/${ids[0]}/revoke`, { token: op, body: { reason: 'issued in error' } });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      const onlyRevoked = await call('qingdao', 'GET', `/api/v1/reports?subject=${pseudonym}&state=revoked`, { token: op });
      assert.deepEqual(
        onlyRevoked.body.records.map((r: any) => r.id),
        [ids[0]],
      );
      const future = await call('qingdao', 'GET', `/api/v1/reports?subject=${pseudonym}&from=2099-01-01`, { token: op });
      assert.deepEqual(future.body.records, []);
      const today = new Date().toISOString().slice(0, 10);
      const todays = await call('qingdao', 'GET', `/api/v1/reports?subject=${pseudonym}&from=${today}&to=${today}`, { token: op });
      assert.equal(todays.body.records.length, ids.length);
    });

    it('refuses a bookmark used with other filters, and a page larger than the cap', async function () {
      const op = await token('qingdao', 'operator');
      const first = await call('qingdao', 'GET', `/api/v1/reports?subject=${pseudonym}&pageSize=1`, { token: op });
      assert.ok(first.body.bookmark);
      const other = await call('qingdao', 'GET', `/api/v1/reports?state=revoked&pageSize=1&bookmark=${first.body.bookmark}`, { token: op });
      assert.equal(other.status, 400);
      assert.match(other.body.detail, /other filters/);
      const tooBig = await call('qingdao', 'GET', '/api/v1/reports?pageSize=201', { token: op });
      assert.equal(tooBig.status, 400);
    });

    it('is closed to the public (401) and to alliance members (403)', async function () {
      assert.equal((await call('qingdao', 'GET', '/api/v1/reports')).status, 401);
      assert.equal((await call('qingdao', 'GET', '/api/v1/reports', { token: await token('qingdao', 'alliance') })).status, 403);
      assert.equal(
        (await call('qingdao', 'GET', '/api/v1/reports', { token: await token('yantai', 'operator', { audience: ['qingdao'] }) })).status,
        403,
        "another city's operator",
      );
    });

    it('shows up, batch-anchored ones included, in a subject look-up at another city', async function () {
      const res = await call('yantai', 'POST', '/api/v1/subjects/lookup', { token: await token('yantai', 'operator'), body: { subject } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const found = res.body.documents.filter((d: any) => ids.includes(d.id));
      assert.deepEqual(found.map((d: any) => d.id).sort(), [...ids].sort());
      assert.ok(
        found.some((d: any) => d.anchorMode === 'batch'),
        'batch-anchored documents are included',
      );
      assert.deepEqual(res.body.documentsUnavailable, {});
    });
  });

  describe('list entries across cities, with every removal path', function () {
    const subject = { kind: 'enterprise', uscc: testUscc(`L${runTag}`) };
    let pseudonym = '';
    const made: Record<string, string> = {};
    let objectionId = '';

    before(async function () {
      const op = await token('weihai', 'operator');
      const create = async (name: string, body: object): Promise<void> => {
        const res = await call('weihai', 'POST', '/api/v1/list-entries', {
          token: op,
          body: { subject, legalBasis: '威海市严重失信主体认定办法', measures: ['限制参与招投标'], ...body },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        made[name] = res.body.id;
      };
      await create('listed', { listType: 'black', startDate: '2026-01-01' });
      await create('expired', { listType: 'black', startDate: '2025-01-01', endDate: '2025-06-30' });
      await create('upheld', { listType: 'black', startDate: '2026-01-02' });
      await create('repaired', { listType: 'black', startDate: '2026-01-03' });
      await create('court', { listType: 'black', startDate: '2026-01-04' });
      await create('red', { listType: 'red', startDate: '2026-01-05' });
      const objection = await call('yantai', 'POST', `/api/v1/list-entries/weihai/${made.upheld}/objections`, {
        token: await token('yantai', 'operator'),
        body: { grounds: 'the penalty was annulled on appeal' },
      });
      assert.equal(objection.status, 201, JSON.stringify(objection.body));
      objectionId = objection.body.objectionId;
      const repaired = await call('weihai', 'POST', `/api/v1/list-entries/${made.repaired}/removal`, {
        token: op,
        body: { reason: 'creditRepair', note: '完成信用修复' },
      });
      assert.equal(repaired.status, 200, JSON.stringify(repaired.body));
      const court = await call('weihai', 'POST', `/api/v1/list-entries/${made.court}/removal`, {
        token: op,
        body: { reason: 'courtDecision', note: '法院判决撤销' },
      });
      assert.equal(court.status, 200, JSON.stringify(court.body));
      pseudonym = await pseudonymOf(subject);
    });

    it("lists a city's pending objections against its entries, with their deadline", async function () {
      const op = await token('weihai', 'operator');
      const res = await until(
        async () => call('weihai', 'GET', '/api/v1/objections?state=pending&pageSize=200', { token: op }),
        (r) => r.status === 200 && r.body.records.some((o: any) => o.objectionId === objectionId),
        30_000,
        'the objection in the pending list',
      );
      const objection = res.body.records.find((o: any) => o.objectionId === objectionId);
      assert.equal(objection.entryId, made.upheld);
      assert.equal(objection.city, 'yantai');
      assert.equal(objection.state, 'pending');
      assert.equal(objection.overdue, false);
      const days = res.body.deadlineDays;
      assert.equal(Date.parse(objection.deadline) - Date.parse(objection.registeredAt), days * 86_400_000);
      assert.ok(typeof res.body.indexedThrough.blockNumber === 'number');
      const elsewhere = await call('yantai', 'GET', '/api/v1/objections?state=pending&pageSize=200', {
        token: await token('yantai', 'operator'),
      });
      assert.ok(
        !elsewhere.body.records.some((o: any) => o.objectionId === objectionId),
        "not in another city's list of objections to its entries",
      );
      const forbidden = await call('yantai', 'GET', '/api/v1/objections?entryCity=weihai', { token: await token('yantai', 'operator') });
      assert.equal(forbidden.status, 403);
    });

    it('shows an entry removed by an upheld objection as objectionUpheld, at a regulator of another city', async function () {
      const answer = await call('weihai', 'POST', `/api/v1/objections/yantai/${objectionId}/answer`, {
        token: await token('weihai', 'operator'),
        body: { outcome: 'upheld', note: 'the penalty was annulled' },
      });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const reg = await token('qingdao', 'regulator');
      const res = await until(
        async () => call('qingdao', 'GET', `/api/v1/list-entries?type=black&city=weihai&subject=${pseudonym}`, { token: reg }),
        (r) => r.status === 200 && r.body.records.find((e: any) => e.id === made.upheld)?.status === 'objectionUpheld',
        30_000,
        'the upheld objection in the status',
      );
      const status = Object.fromEntries(res.body.records.map((e: any) => [e.id, e.status]));
      assert.deepEqual(status, {
        [made.listed!]: 'listed',
        [made.expired!]: 'expired',
        [made.upheld!]: 'objectionUpheld',
        [made.repaired!]: 'repaired',
        [made.court!]: 'courtDecision',
      });
      const answered = await until(
        async () => call('weihai', 'GET', '/api/v1/objections?state=answered&pageSize=200', { token: await token('weihai', 'operator') }),
        (r) => r.body.records.some((o: any) => o.objectionId === objectionId),
        30_000,
        'the objection answered',
      );
      assert.equal(answered.body.records.find((o: any) => o.objectionId === objectionId).answer.outcome, 'upheld');
    });

    it('filters by status (expiry without a removal, removed) and type, and pages without duplicates', async function () {
      const reg = await token('rizhao', 'regulator');
      await until(
        async () => call('rizhao', 'GET', `/api/v1/list-entries?subject=${pseudonym}&status=objectionUpheld`, { token: reg }),
        (r) => r.body.records?.length === 1,
        30_000,
        'rizhao index current',
      );
      const expired = await call('rizhao', 'GET', `/api/v1/list-entries?subject=${pseudonym}&status=expired`, { token: reg });
      assert.deepEqual(
        expired.body.records.map((e: any) => e.id),
        [made.expired],
      );
      assert.equal(expired.body.records[0].state, 'listed', 'nobody removed it: it expired by its end date');
      const removed = await call('rizhao', 'GET', `/api/v1/list-entries?subject=${pseudonym}&status=removed`, { token: reg });
      assert.equal(removed.body.records.length, 4);
      const red = await call('rizhao', 'GET', `/api/v1/list-entries?subject=${pseudonym}&type=red`, { token: reg });
      assert.deepEqual(
        red.body.records.map((e: any) => e.id),
        [made.red],
      );
      const { records, pages } = await allPages('rizhao', `/api/v1/list-entries?subject=${pseudonym}`, reg, 4);
      assert.equal(pages, 2);
      assert.deepEqual(records.map((e) => e.id).sort(), Object.values(made).sort());
      const sorted = [...records].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
      assert.deepEqual(
        records.map((e) => e.id),
        sorted.map((e) => e.id),
        'createdAt descending',
      );
    });

    it("lets an operator see its own city's entries only", async function () {
      const own = await until(
        async () => call('weihai', 'GET', `/api/v1/list-entries?subject=${pseudonym}`, { token: await token('weihai', 'operator') }),
        (r) => r.body.records?.length === 6,
        30_000,
        'weihai entries',
      );
      assert.equal(own.status, 200);
      const other = await call('qingdao', 'GET', `/api/v1/list-entries?subject=${pseudonym}`, {
        token: await token('qingdao', 'operator'),
      });
      assert.deepEqual(other.body.records, [], "Qingdao's operator sees Qingdao's entries, not Weihai's");
      const forbidden = await call('qingdao', 'GET', '/api/v1/list-entries?city=weihai', { token: await token('qingdao', 'operator') });
      assert.equal(forbidden.status, 403);
      assert.equal((await call('qingdao', 'GET', '/api/v1/list-entries', { token: await token('qingdao', 'alliance') })).status, 403);
      assert.equal((await call('qingdao', 'GET', '/api/v1/list-entries')).status, 401);
    });

    it('gives each entry its objections in the subject look-up', async function () {
      const res = await until(
        async () => call('qingdao', 'POST', '/api/v1/subjects/lookup', { token: await token('qingdao', 'operator'), body: { subject } }),
        (r) => r.body.listEntries?.find((e: any) => e.id === made.upheld)?.objections?.[0]?.answer !== undefined,
        30_000,
        'the objection and its answer in the look-up',
      );
      const upheld = res.body.listEntries.find((e: any) => e.id === made.upheld);
      assert.equal(upheld.objections.length, 1);
      assert.equal(upheld.objections[0].objectionId, objectionId);
      assert.equal(upheld.objections[0].answer.outcome, 'upheld');
      assert.equal(upheld.status, 'objectionUpheld');
      assert.deepEqual(res.body.listEntries.find((e: any) => e.id === made.listed).objections, []);
    });
  });

  describe('evaluations (GET /api/v1/evaluations)', function () {
    const subject = { kind: 'enterprise', uscc: testUscc(`E${runTag}`) };

    it('lists single and bulk-recorded evaluations of my city, by grade, paged', async function () {
      const op = await token('qingdao', 'operator');
      const base = { subject, scheme: `qd-lists-${runTag}`, periodStart: '2026-01-01', periodEnd: '2026-06-30', validUntil: inAYear() };
      const one = await call('qingdao', 'POST', '/api/v1/evaluations', { token: op, body: { ...base, grade: 'A', evidence: 'e1' } });
      assert.equal(one.status, 201, JSON.stringify(one.body));
      const raw = ['B', 'C'].map((grade, i) => JSON.stringify({ ...base, grade, periodEnd: `2026-0${7 + i}-30` })).join('\n') + '\n';
      const job = await importEvaluations('qingdao', op, raw);
      assert.equal(job.committed, 2, JSON.stringify(job));
      const pseudonym = one.body.subjectPseudonym;
      const all = await until(
        () => allPages('qingdao', `/api/v1/evaluations?subject=${pseudonym}`, op, 2),
        (r) => r.records.length === 3,
        30_000,
        'three evaluations listed',
      );
      assert.deepEqual(all.records.map((e) => e.grade).sort(), ['A', 'B', 'C']);
      assert.ok(
        all.records.every((e) => e.scheme === base.scheme && e.recordedAt),
        'bulk-recorded ones are complete records',
      );
      const graded = await call('qingdao', 'GET', `/api/v1/evaluations?subject=${pseudonym}&grade=C`, { token: op });
      assert.equal(graded.body.records.length, 1);
      const atRegulator = await until(
        async () =>
          call('weifang', 'GET', `/api/v1/evaluations?city=qingdao&subject=${pseudonym}`, { token: await token('weifang', 'regulator') }),
        (r) => r.body.records?.length === 3,
        30_000,
        'a regulator sees them at another city',
      );
      assert.equal(atRegulator.status, 200);
      const forbidden = await call('weifang', 'GET', '/api/v1/evaluations?city=qingdao', { token: await token('weifang', 'operator') });
      assert.equal(forbidden.status, 403);
    });
  });

  describe('recognitions of my documents (GET /api/v1/recognitions)', function () {
    it('shows who recognised which of my documents, accepted or rejected and why', async function () {
      const op = await token('qingdao', 'operator');
      const issued = await call('qingdao', 'POST', '/api/v1/reports', {
        token: op,
        body: { subject: { kind: 'enterprise', uscc: testUscc(`G${runTag}`) }, reportType: 'publicCreditReport', validUntil: inAYear() },
      });
      assert.equal(issued.status, 202);
      const id = issued.body.id;
      await until(
        async () => call('qingdao', 'GET', `/api/v1/reports/${id}`, { token: op }),
        (r) => r.body.state === 'anchored',
        30_000,
        'anchored',
      );
      const decide = async (city: CityId, decision: string, reason: string): Promise<Answer> => {
        const res = await until(
          async () =>
            call(city, 'POST', '/api/v1/recognitions', {
              token: await token(city, 'operator'),
              body: { issuerCity: 'qingdao', documentId: id, decision, reason },
            }),
          (r) => r.status === 201,
          30_000,
          `recognition by ${city}`,
        );
        return res;
      };
      await decide('yantai', 'accepted', 'accepted for the port tender');
      await decide('rizhao', 'rejected', 'the report is older than the tender allows');
      const res = await until(
        async () => call('qingdao', 'GET', '/api/v1/recognitions?issuerCity=qingdao&pageSize=200', { token: op }),
        (r) => r.body.records?.filter((x: any) => x.documentId === id).length === 2,
        30_000,
        'both decisions listed',
      );
      const mine = res.body.records.filter((x: any) => x.documentId === id);
      const byCity = Object.fromEntries(mine.map((x: any) => [x.recognisingCity, [x.decision, x.text?.reason?.text]]));
      assert.deepEqual(byCity, {
        yantai: ['accepted', 'accepted for the port tender'],
        rizhao: ['rejected', 'the report is older than the tender allows'],
      });
      const rejected = await call('qingdao', 'GET', '/api/v1/recognitions?decision=rejected&pageSize=200', { token: op });
      assert.ok(rejected.body.records.every((x: any) => x.decision === 'rejected' && x.issuerCity === 'qingdao'));
      assert.ok(rejected.body.records.some((x: any) => x.documentId === id));
      const forbidden = await call('qingdao', 'GET', '/api/v1/recognitions?issuerCity=yantai', { token: op });
      assert.equal(forbidden.status, 403);
      const regulator = await call('qingdao', 'GET', '/api/v1/recognitions?issuerCity=yantai', {
        token: await token('qingdao', 'regulator'),
      });
      assert.equal(regulator.status, 200);
    });
  });

  describe('agency search (GET /api/v1/public/agencies)', function () {
    const tag = runTag.toUpperCase();
    const agencies = [
      { uscc: testUscc(`S1${runTag}`), name: `胶东${tag}信用评级有限公司`, services: ['credit rating'] },
      { uscc: testUscc(`S2${runTag}`), name: `烟台${tag}信用管理（集团）有限公司`, services: ['credit reports', 'credit rating'] },
      { uscc: testUscc(`S3${runTag}`), name: `${tag}征信服务中心`, services: ['credit reports'] },
    ];

    before(async function () {
      for (const [i, a] of agencies.entries()) {
        const city: CityId = i === 1 ? 'yantai' : 'weifang';
        const res = await call(city, 'POST', '/api/v1/agencies', {
          token: await token(city, 'operator'),
          body: { ...a, allianceMember: true },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const suspended = await call('yantai', 'POST', `/api/v1/agencies/${agencies[1]!.uscc}/status`, {
        token: await token('yantai', 'operator'),
        body: { status: 'suspended', reason: '违规出具信用报告，暂停整改' },
      });
      assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    });

    it('finds agencies by a Chinese name fragment, exactly, without a token', async function () {
      const res = await until(
        async () => call('qingdao', 'GET', `/api/v1/public/agencies?q=${encodeURIComponent(`${tag}信用`)}`),
        (r) => r.body.records?.length === 2 && r.body.records.some((a: any) => a.status === 'suspended'),
        30_000,
        'two agencies found',
      );
      assert.deepEqual(res.body.records.map((a: any) => a.uscc).sort(), [agencies[0]!.uscc, agencies[1]!.uscc].sort());
      assert.ok(typeof res.body.indexedThrough.blockNumber === 'number');
      const narrow = await call('qingdao', 'GET', `/api/v1/public/agencies?q=${encodeURIComponent(`${tag}征信`)}`);
      assert.deepEqual(
        narrow.body.records.map((a: any) => a.name),
        [agencies[2]!.name],
      );
      const brackets = await call('qingdao', 'GET', `/api/v1/public/agencies?q=${encodeURIComponent(`${tag}信用管理(集团)`)}`);
      assert.deepEqual(
        brackets.body.records.map((a: any) => a.uscc),
        [agencies[1]!.uscc],
        'half-width brackets find a full-width name',
      );
    });

    it('finds an agency by USCC', async function () {
      const res = await call('rizhao', 'GET', `/api/v1/public/agencies?q=${agencies[2]!.uscc}`);
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.records.map((a: any) => a.name),
        [agencies[2]!.name],
      );
    });

    it('shows a suspension with its reason (at the filing city, elsewhere where it is kept), and never a suspended member in good standing', async function () {
      const q = encodeURIComponent(tag);
      const suspended = await call('qingdao', 'GET', `/api/v1/public/agencies?q=${q}&status=suspended`);
      assert.equal(suspended.body.records.length, 1);
      const record = suspended.body.records[0];
      assert.equal(record.statusReason, undefined, 'the reason stays in the filing city');
      assert.equal(record.statusReasonHeldBy, 'yantai');
      const atFiler = await until(
        async () => call('yantai', 'GET', `/api/v1/public/agencies?q=${q}&status=suspended`),
        (r) => r.body.records?.length === 1,
        30_000,
        'the suspension at Yantai',
      );
      assert.equal(atFiler.body.records[0].statusReason, '违规出具信用报告，暂停整改');
      assert.equal(record.allianceMember, true);
      assert.equal(record.allianceStanding, 'suspended');
      const good = await call('qingdao', 'GET', `/api/v1/public/agencies?q=${q}&alliance=goodStanding`);
      assert.deepEqual(good.body.records.map((a: any) => a.uscc).sort(), [agencies[0]!.uscc, agencies[2]!.uscc].sort());
      const one = await call('qingdao', 'GET', `/api/v1/public/agencies/${agencies[1]!.uscc}`);
      assert.equal(one.body.allianceStanding, 'suspended');
      assert.equal(one.body.statusReasonHeldBy, 'yantai');
      const oneAtFiler = await call('yantai', 'GET', `/api/v1/public/agencies/${agencies[1]!.uscc}`);
      assert.equal(oneAtFiler.body.statusReason, '违规出具信用报告，暂停整改');
    });

    it('filters by service and filing city, and pages with bookmarks', async function () {
      const q = encodeURIComponent(tag);
      const reports = await call('qingdao', 'GET', `/api/v1/public/agencies?q=${q}&service=${encodeURIComponent('credit reports')}`);
      assert.deepEqual(reports.body.records.map((a: any) => a.uscc).sort(), [agencies[1]!.uscc, agencies[2]!.uscc].sort());
      const weifang = await call('qingdao', 'GET', `/api/v1/public/agencies?q=${q}&city=weifang`);
      assert.equal(weifang.body.records.length, 2);
      const { records, pages } = await allPages('qingdao', `/api/v1/public/agencies?q=${q}`, undefined, 2);
      assert.equal(pages, 2);
      assert.deepEqual(
        records.map((a) => a.uscc),
        agencies.map((a) => a.uscc).sort(),
        'USCC order, each once',
      );
    });
  });
});
