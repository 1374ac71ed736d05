/**
 * Credit-service agencies (信用服务机构) filed (备案) in the five-city registry:
 * one per city, three of them alliance members; Weihai suspends the agency it
 * filed, and two cities record supervision actions (协同监管) against agencies
 * filed by another city.
 *
 * @packageDocumentation
 */
import { cityById, type CityId } from '@jcc/domain';
import { demoKey, type DemoContext } from './context.js';
import { syntheticUscc } from './uscc.js';

/** A supervision action one city records against an agency. */
export interface SupervisionPlan {
  city: CityId;
  actionId: string;
  action: 'inspection' | 'warning' | 'rectificationOrder' | 'penalty' | 'commendation';
  summary: string;
  /** Days after the demo epoch. */
  day: number;
}

/** A demo agency. */
export interface AgencyPlan {
  uscc: string;
  city: CityId;
  name: string;
  services: string[];
  allianceMember: boolean;
  /** A status the filing city sets after filing, and why. */
  status?: { status: 'suspended' | 'revoked'; reason: string };
  supervision: SupervisionPlan[];
}

/** The agency record with its supervision history, as the gateway returns it. */
export interface AgencyView {
  uscc: string;
  city: CityId;
  name: string;
  status: 'active' | 'suspended' | 'revoked';
  allianceMember: boolean;
  supervision?: Array<{ city: CityId; actionId: string; action: string }>;
}

const uscc = (city: CityId, orgCode: string): string => syntheticUscc(cityById(city).divisionCode, orgCode);

/** The demo's agencies. */
export const AGENCIES: readonly AgencyPlan[] = [
  {
    uscc: uscc('qingdao', 'MA3R2A8D5'),
    city: 'qingdao',
    name: '青岛信衡信用评级有限公司',
    services: ['信用评级', '信用报告', '信用管理咨询'],
    allianceMember: true,
    supervision: [],
  },
  {
    uscc: uscc('yantai', 'MA3T6B3F1'),
    city: 'yantai',
    name: '烟台诚达征信服务有限公司',
    services: ['企业征信', '信用调查'],
    allianceMember: true,
    supervision: [],
  },
  {
    uscc: uscc('weihai', 'MA3U9C6L4'),
    city: 'weihai',
    name: '威海信联信用管理咨询有限公司',
    services: ['信用修复咨询', '信用管理咨询'],
    allianceMember: false,
    status: { status: 'suspended', reason: '未按规定报送年度信用服务业务报告，暂停备案三个月，期满复核' },
    supervision: [
      {
        city: 'qingdao',
        actionId: 'jcc-demo-sup-qingdao-1',
        action: 'rectificationOrder',
        summary: '该机构在青岛开展信用修复咨询业务时收费标准未公示，责令十五日内整改并报送整改报告',
        day: -12,
      },
    ],
  },
  {
    uscc: uscc('weifang', 'MA3W4D1N8'),
    city: 'weifang',
    name: '潍坊鸢都信用评估有限公司',
    services: ['信用评估', '信用报告'],
    allianceMember: false,
    supervision: [
      {
        city: 'yantai',
        actionId: 'jcc-demo-sup-yantai-1',
        action: 'inspection',
        summary: '五市联合抽查：业务档案完整，评估报告出具流程符合规范，未发现违规',
        day: -20,
      },
    ],
  },
  {
    uscc: uscc('rizhao', 'MA3X7E5P2'),
    city: 'rizhao',
    name: '日照海曲信用科技有限公司',
    services: ['信用数据服务', '信用管理咨询'],
    allianceMember: true,
    supervision: [],
  },
];

/** Files the agencies, sets the suspension and records the supervision actions that the ledger does not hold yet. */
export async function loadAgencies(ctx: DemoContext): Promise<void> {
  await Promise.all(
    AGENCIES.map(async (plan) => {
      const own = ctx.operator(plan.city);
      let view = await own.find<AgencyView>(`/api/v1/agencies/${plan.uscc}`);
      ctx.tally.count('agency', view === undefined);
      if (!view) {
        const body = { uscc: plan.uscc, name: plan.name, services: plan.services, allianceMember: plan.allianceMember };
        await own.post('/api/v1/agencies', body, demoKey('agency', plan.uscc));
        view = (await own.get<AgencyView>(`/api/v1/agencies/${plan.uscc}`)).body;
      }
      if (plan.status) {
        const changing = view.status !== plan.status.status;
        ctx.tally.count('agency status', changing);
        if (changing) await own.post(`/api/v1/agencies/${plan.uscc}/status`, plan.status, demoKey('agency-status', plan.uscc));
      }
      for (const s of plan.supervision) {
        const present = (view.supervision ?? []).some((r) => r.city === s.city && r.actionId === s.actionId);
        ctx.tally.count('supervision action', !present);
        if (!present) {
          const body = { actionId: s.actionId, action: s.action, summary: s.summary, date: ctx.dates.date(s.day) };
          await ctx.operator(s.city).post(`/api/v1/agencies/${plan.uscc}/supervision`, body, demoKey('supervision', s.city, s.actionId));
        }
      }
    }),
  );
}
