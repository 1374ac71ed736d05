/**
 * Signed documents the cities issue through `POST /api/v1/reports`: public
 * credit reports (公共信用信息报告) of the demo enterprises, in both anchor
 * modes (alone, and as leaves of Merkle batches), and one evaluation result
 * notice. One Qingdao report is revoked once anchored.
 *
 * Each request carries a fixed `Idempotency-Key` (per gateway store) and a
 * body that depends only on the demo epoch, so issuing again replays the
 * stored document (same id, same JWS) instead of issuing a new one.
 *
 * @packageDocumentation
 */
import { cityById, type CityId } from '@jcc/domain';
import { demoKey, type DemoContext } from './context.js';
import type { DemoDates } from './dates.js';
import { enterprise, subjectOf, type DemoEnterprise } from './enterprises.js';
import { GRADES } from './evaluations.js';

/** A demo document. */
export interface ReportPlan {
  /** Key other steps refer to, e.g. `qingdao-batch`. */
  key: string;
  city: CityId;
  enterprise: string;
  anchor: 'single' | 'batch';
  docType: 'creditReport' | 'evaluation';
  reportType: string;
  purpose: string;
  /** Revoked once anchored, for this reason. */
  revoke?: string;
}

/** The state of a document, as `GET /api/v1/reports/{id}` returns it. */
export interface ReportState {
  id: string;
  type: string;
  state: 'pending' | 'anchored' | 'revoked' | 'superseded' | 'expired' | 'failed';
  jws: string;
  anchor: { mode: 'single' | 'batch'; txId?: string; blockNumber?: number | null; batchId?: string };
  proof?: Record<string, unknown>;
  status?: { status: string; reason: string };
  failure?: { code: string; detail: string };
}

/** An issued demo document. */
export interface IssuedReport {
  plan: ReportPlan;
  id: string;
  jws: string;
}

const TENDER = '跨市政府采购投标（替代无违法违规证明）';

/** The demo's documents. */
export const REPORTS: readonly ReportPlan[] = [
  {
    key: 'qingdao-single',
    city: 'qingdao',
    enterprise: 'qd-machinery',
    anchor: 'single',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: TENDER,
  },
  {
    key: 'qingdao-batch',
    city: 'qingdao',
    enterprise: 'qd-coldchain',
    anchor: 'batch',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: TENDER,
  },
  {
    key: 'qingdao-revoked',
    city: 'qingdao',
    enterprise: 'qd-coldchain',
    anchor: 'single',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: '银行授信审查',
    revoke: '报告出具后企业办理了注册资本变更登记，报告所载登记信息已不准确，原报告作废，请申请重新出具',
  },
  {
    key: 'yantai-single',
    city: 'yantai',
    enterprise: 'yt-wine',
    anchor: 'single',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: TENDER,
  },
  {
    key: 'yantai-batch',
    city: 'yantai',
    enterprise: 'yt-fruit',
    anchor: 'batch',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: '融资担保审核',
  },
  {
    key: 'weihai-single',
    city: 'weihai',
    enterprise: 'wh-seafood',
    anchor: 'single',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: TENDER,
  },
  {
    key: 'weihai-batch',
    city: 'weihai',
    enterprise: 'wh-gear',
    anchor: 'batch',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: '行政审批',
  },
  {
    key: 'weifang-single',
    city: 'weifang',
    enterprise: 'wf-veg',
    anchor: 'single',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: TENDER,
  },
  {
    key: 'weifang-batch',
    city: 'weifang',
    enterprise: 'wf-kite',
    anchor: 'batch',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: '评优评先',
  },
  {
    key: 'weifang-evaluation',
    city: 'weifang',
    enterprise: 'wf-veg',
    anchor: 'batch',
    docType: 'evaluation',
    reportType: 'creditEvaluationNotice',
    purpose: '信用评价结果告知',
  },
  {
    key: 'rizhao-single',
    city: 'rizhao',
    enterprise: 'rz-steel',
    anchor: 'single',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: TENDER,
  },
  {
    key: 'rizhao-batch',
    city: 'rizhao',
    enterprise: 'rz-tea',
    anchor: 'batch',
    docType: 'creditReport',
    reportType: 'publicCreditReport',
    purpose: '融资担保审核',
  },
];

/** The content written into the signed document (kept off-chain by the issuing gateway). */
export function reportContent(plan: ReportPlan, e: DemoEnterprise, dates: DemoDates): Record<string, unknown> {
  const city = cityById(e.city);
  const number = REPORTS.indexOf(plan) + 1;
  const common = {
    subjectName: e.name,
    subjectNameEn: e.nameEn,
    issuingAuthority: `${city.nameZh}市公共信用信息中心`,
    purpose: plan.purpose,
    note: '演示数据：企业、记录与报告均为虚构（synthetic demo data）',
  };
  if (plan.docType === 'evaluation') {
    const { grade, score } = GRADES[e.key] ?? { grade: 'B', score: 80 };
    return {
      ...common,
      title: '企业公共信用综合评价结果告知书',
      noticeNumber: `${city.nameZh}信评告〔${dates.year}〕${String(number).padStart(3, '0')}号`,
      period: { from: `${dates.year - 1}-01-01`, to: `${dates.year - 1}-12-31` },
      grade,
      score,
      supervision: grade === 'A' ? '信用风险低：适当降低抽查比例和频次' : '按常规比例和频次抽查',
    };
  }
  return {
    ...common,
    title: '公共信用信息报告（企业版）',
    reportNumber: `${city.nameZh}信报〔${dates.year}〕${String(number).padStart(4, '0')}号`,
    coverage: { from: dates.date(-3 * 365), to: dates.date(-1) },
    registration: { industry: e.industry, registeredCapital: e.registeredCapital, established: e.established, status: '存续' },
    summary: {
      administrativeLicences: e.licences,
      administrativePenalties: e.penalties.length,
      seriousDishonestyList: false,
      courtJudgmentDefaulter: false,
      taxArrears: false,
    },
    administrativePenalties: e.penalties,
  };
}

/** Issues the documents (replaying those issued before). */
export async function issueReports(ctx: DemoContext): Promise<IssuedReport[]> {
  return Promise.all(
    REPORTS.map(async (plan) => {
      const e = enterprise(plan.enterprise);
      const body = {
        subject: subjectOf(e),
        docType: plan.docType,
        reportType: plan.reportType,
        content: reportContent(plan, e, ctx.dates),
        validUntil: ctx.dates.timestamp(365),
        anchor: plan.anchor,
      };
      const answer = await ctx
        .operator(plan.city)
        .post<{ id: string; jws: string }>('/api/v1/reports', body, demoKey('report', plan.key, ctx.storeId(plan.city)));
      ctx.tally.count('document', !answer.replayed);
      return { plan, id: answer.body.id, jws: answer.body.jws };
    }),
  );
}

/**
 * Waits until every document is anchored: a single document's transaction is
 * committed, a batch document's proof bundle is there. Returns their states.
 */
export async function waitForAnchoring(ctx: DemoContext, issued: IssuedReport[], timeoutMs = 180_000): Promise<Map<string, ReportState>> {
  const deadline = Date.now() + timeoutMs;
  const states = new Map<string, ReportState>();
  let lastNote = 0;
  for (;;) {
    const pending: string[] = [];
    await Promise.all(
      issued.map(async (r) => {
        if (states.has(r.id)) return;
        const state = (await ctx.operator(r.plan.city).get<ReportState>(`/api/v1/reports/${r.id}`)).body;
        if (state.state === 'failed') {
          throw new Error(
            `document ${r.id} could not be anchored: ${state.failure?.detail ?? 'failed'}` +
              (state.failure?.code === 'CONFLICT'
                ? ' (the ledger holds another document under this id: was the gateway store reset?)'
                : ''),
          );
        }
        const anchored = state.anchor.mode === 'batch' ? state.proof !== undefined : state.anchor.txId !== undefined;
        if (anchored) states.set(r.id, state);
        else pending.push(r.id);
      }),
    );
    if (pending.length === 0) return states;
    if (Date.now() > deadline) throw new Error(`not anchored after ${timeoutMs / 1000} s: ${pending.join(', ')}`);
    if (Date.now() - lastNote > 5000) {
      ctx.log(`waiting for ${pending.length} document(s) to be anchored`);
      lastNote = Date.now();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Revokes the documents the plan revokes, unless already revoked. */
export async function revokeReports(ctx: DemoContext, issued: IssuedReport[], states: Map<string, ReportState>): Promise<void> {
  await Promise.all(
    issued
      .filter((r) => r.plan.revoke)
      .map(async (r) => {
        const revoking = states.get(r.id)?.state !== 'revoked';
        ctx.tally.count('revocation', revoking);
        if (!revoking) return;
        await ctx.operator(r.plan.city).post(`/api/v1/reports/${r.id}/revoke`, { reason: r.plan.revoke }, demoKey('revoke', r.id));
        states.set(r.id, (await ctx.operator(r.plan.city).get<ReportState>(`/api/v1/reports/${r.id}`)).body);
      }),
  );
}
