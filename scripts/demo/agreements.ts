/**
 * Recognition agreements (互认协议) between city pairs: the ledger form of the
 * cooperation memorandum. One city proposes, the other accepts; one proposal
 * is left waiting for acceptance. The first agreement also fixes the demo's
 * epoch: its `validFrom` is the day the demo was first loaded.
 *
 * @packageDocumentation
 */
import type { CityId } from '@jcc/domain';
import type { GatewayClient } from './client.js';
import { demoKey, type DemoContext } from './context.js';
import { DemoDates } from './dates.js';

/** An agreement as the gateway returns it. */
export interface AgreementView {
  agreementId: string;
  proposer: CityId;
  counterparty: CityId;
  docTypes: string[];
  validFrom: string;
  validTo: string;
  state: 'proposed' | 'active' | 'ended';
}

/** A demo agreement. */
export interface AgreementPlan {
  agreementId: string;
  proposer: CityId;
  counterparty: CityId;
  docTypes: Array<'creditReport' | 'evaluation' | 'listEntry' | 'agencyFiling'>;
  /** Whether the counterparty accepts it (else it stays proposed). */
  accept: boolean;
}

/** The demo's agreements; valid from the epoch for three years. */
export const AGREEMENTS: readonly AgreementPlan[] = [
  {
    agreementId: 'jcc-demo-agr-qingdao-yantai',
    proposer: 'qingdao',
    counterparty: 'yantai',
    docTypes: ['creditReport', 'evaluation'],
    accept: true,
  },
  { agreementId: 'jcc-demo-agr-rizhao-qingdao', proposer: 'rizhao', counterparty: 'qingdao', docTypes: ['creditReport'], accept: true },
  {
    agreementId: 'jcc-demo-agr-weihai-weifang',
    proposer: 'weihai',
    counterparty: 'weifang',
    docTypes: ['creditReport', 'evaluation', 'listEntry'],
    accept: true,
  },
  { agreementId: 'jcc-demo-agr-yantai-rizhao', proposer: 'yantai', counterparty: 'rizhao', docTypes: ['creditReport'], accept: false },
];

/** The agreement whose `validFrom` records the demo's epoch. */
const EPOCH_AGREEMENT = AGREEMENTS[0]!;

/**
 * The demo's dates: the epoch the ledger records (the first agreement's
 * `validFrom`) when the demo was loaded before, otherwise today.
 */
export async function resolveDates(qingdaoOperator: GatewayClient, now = Date.now()): Promise<{ dates: DemoDates; fromLedger: boolean }> {
  const existing = await qingdaoOperator.find<AgreementView>(`/api/v1/agreements/${EPOCH_AGREEMENT.agreementId}`);
  if (existing) return { dates: new DemoDates(existing.validFrom.slice(0, 10)), fromLedger: true };
  return { dates: DemoDates.today(now), fromLedger: false };
}

/** Proposes the demo agreements and has the counterparties accept them (skipping what the ledger already holds). */
export async function loadAgreements(ctx: DemoContext): Promise<void> {
  const validFrom = ctx.dates.timestamp(0);
  const validTo = ctx.dates.timestamp(3 * 365);
  await Promise.all(
    AGREEMENTS.map(async (plan) => {
      let view = await ctx.operator(plan.proposer).find<AgreementView>(`/api/v1/agreements/${plan.agreementId}`);
      ctx.tally.count('agreement', view === undefined);
      if (!view) {
        const body = { agreementId: plan.agreementId, counterparty: plan.counterparty, docTypes: plan.docTypes, validFrom, validTo };
        view = (await ctx.operator(plan.proposer).post<AgreementView>('/api/v1/agreements', body, demoKey('agreement', plan.agreementId)))
          .body;
      }
      if (plan.accept) {
        const accepting = view.state === 'proposed';
        ctx.tally.count('agreement acceptance', accepting);
        if (accepting) {
          await ctx
            .operator(plan.counterparty)
            .post(`/api/v1/agreements/${plan.agreementId}/accept`, {}, demoKey('accept', plan.agreementId));
        }
      }
    }),
  );
}
