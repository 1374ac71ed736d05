/**
 * Recognition decisions (互认): a city accepts or rejects another city's
 * document, with its reason, citing the agreement it relies on when there
 * is one.
 *
 * @packageDocumentation
 */
import type { CityId } from '@jcc/domain';
import { demoKey, type DemoContext } from './context.js';
import type { IssuedReport } from './reports.js';

/** A demo recognition decision. */
export interface RecognitionPlan {
  /** The recognising city. */
  city: CityId;
  /** Key of the document in the report plan. */
  report: string;
  decision: 'accepted' | 'rejected';
  reason: string;
  agreementId?: string;
}

/** A recognition record as the gateway returns it. */
interface RecognitionRecord {
  city: CityId;
  decision: string;
  /** The reason is kept off the ledger: the gateway serves its text (read from the recognising city's gateway). */
  text?: { reason?: { text?: string } };
  agreementId?: string;
}

/** The demo's recognition decisions. */
export const RECOGNITIONS: readonly RecognitionPlan[] = [
  {
    city: 'yantai',
    report: 'qingdao-batch',
    decision: 'accepted',
    reason: '依据青岛—烟台公共信用报告互认协议，认可该报告用于本市政府采购投标，不再重复出具',
    agreementId: 'jcc-demo-agr-qingdao-yantai',
  },
  {
    city: 'qingdao',
    report: 'rizhao-batch',
    decision: 'accepted',
    reason: '依据日照—青岛互认协议，认可该报告用于本市融资担保审核',
    agreementId: 'jcc-demo-agr-rizhao-qingdao',
  },
  {
    city: 'weifang',
    report: 'weihai-single',
    decision: 'accepted',
    reason: '依据威海—潍坊互认协议，认可该报告用于本市政府采购投标',
    agreementId: 'jcc-demo-agr-weihai-weifang',
  },
  {
    city: 'weihai',
    report: 'rizhao-single',
    decision: 'rejected',
    reason: '两市尚未签订互认协议，且该企业处于安全生产严重失信主体名单期内，不予互认',
  },
];

/** Records the decisions the ledger does not hold yet (or holds differently). */
export async function loadRecognitions(ctx: DemoContext, issued: IssuedReport[]): Promise<void> {
  await Promise.all(
    RECOGNITIONS.map(async (plan) => {
      const doc = issued.find((r) => r.plan.key === plan.report);
      if (!doc) throw new Error(`recognition of unknown demo document ${plan.report}`);
      const client = ctx.operator(plan.city);
      const { records } = (await client.get<{ records: RecognitionRecord[] }>(`/api/v1/recognitions/${doc.plan.city}/${doc.id}`)).body;
      const current = records.find((r) => r.city === plan.city);
      const same =
        current?.decision === plan.decision && current.text?.reason?.text === plan.reason && current.agreementId === plan.agreementId;
      ctx.tally.count('recognition', !same);
      if (same) return;
      const body = {
        issuerCity: doc.plan.city,
        documentId: doc.id,
        decision: plan.decision,
        reason: plan.reason,
        ...(plan.agreementId ? { agreementId: plan.agreementId } : {}),
      };
      await client.post('/api/v1/recognitions', body, demoKey('recognition', plan.city, doc.id));
    }),
  );
}
