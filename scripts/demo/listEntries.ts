/**
 * Joint reward and punishment list entries (联合奖惩对象名单): two red-list
 * entries, one key-supervision entry, and two black-list entries — one later
 * removed by credit repair (信用修复), one whose subject raised an objection
 * (异议) through another city, which the listing city answered (rejected,
 * so the entry stays).
 *
 * @packageDocumentation
 */
import type { CityId } from '@jcc/domain';
import { demoKey, type DemoContext } from './context.js';
import { enterprise, subjectOf } from './enterprises.js';

/** A demo list entry and what happens to it afterwards. */
export interface ListEntryPlan {
  id: string;
  enterprise: string;
  listType: 'red' | 'black' | 'keySupervision';
  legalBasis: string;
  measures: string[];
  /** Days after the epoch. */
  startDay: number;
  endDay: number;
  /** Removed by credit repair, with this note and evidence. */
  creditRepair?: { note: string; evidence: string };
  /** An objection raised through `city`, answered by the listing city. */
  objection?: { city: CityId; objectionId: string; grounds: string; outcome: 'upheld' | 'rejected'; note: string; answer: string };
}

/** The entry with its removal and objections, as the gateway returns it. */
export interface ListEntryView {
  city: CityId;
  id: string;
  state: 'listed' | 'removed';
  objections: Array<{ city: CityId; objectionId: string; answer?: unknown }>;
}

/** The demo's list entries. */
export const LIST_ENTRIES: readonly ListEntryPlan[] = [
  {
    id: 'qingdao-le-demo-red-coldchain',
    enterprise: 'qd-coldchain',
    listType: 'red',
    legalBasis: '纳税信用A级纳税人名单（税务部门年度评价结果）',
    measures: ['办理涉税事项开通绿色通道', '政府采购和招投标评审中予以信用加分', '减少日常检查频次'],
    startDay: -30,
    endDay: 335,
  },
  {
    id: 'yantai-le-demo-red-wine',
    enterprise: 'yt-wine',
    listType: 'red',
    legalBasis: '山东省"守合同重信用"企业公示名单',
    measures: ['行政审批"容缺受理"', '融资授信优先支持'],
    startDay: -60,
    endDay: 670,
  },
  {
    id: 'weihai-le-demo-focus-gear',
    enterprise: 'wh-gear',
    listType: 'keySupervision',
    legalBasis: '生态环境领域重点关注对象名单管理办法：一年内两次超标排放',
    measures: ['提高随机抽查比例和频次', '列为日常监管重点对象'],
    startDay: -90,
    endDay: 275,
  },
  {
    id: 'weifang-le-demo-black-kite',
    enterprise: 'wf-kite',
    listType: 'black',
    legalBasis: '拖欠农民工工资失信联合惩戒对象名单管理暂行办法：拖欠工资数额较大且经责令仍未支付',
    measures: ['限制参与政府采购和招投标', '限制获得财政资金支持', '限制高消费'],
    startDay: -200,
    endDay: 895,
    creditRepair: {
      note: '已全额清偿拖欠工资，完成信用修复培训并作出信用承诺，经审核准予信用修复，移出名单',
      evidence: '信用修复申请材料：工资清偿凭证、信用修复培训结业证明、信用承诺书（演示数据）',
    },
  },
  {
    id: 'rizhao-le-demo-black-steel',
    enterprise: 'rz-steel',
    listType: 'black',
    legalBasis: '安全生产严重失信主体名单管理办法：发生生产安全事故且负有责任',
    measures: ['限制参与政府采购和招投标', '取消评优评先资格', '加大执法检查频次'],
    startDay: -150,
    endDay: 945,
    objection: {
      city: 'qingdao',
      objectionId: 'jcc-demo-obj-qingdao-steel',
      grounds: '企业认为事故系分包单位违规作业所致，本企业不应承担主要责任，申请撤销列入决定（经青岛市信用中心提交，演示数据）',
      outcome: 'rejected',
      note: '经复核，事故调查报告认定企业未落实安全生产主体责任，认定事实清楚、依据充分，维持列入决定',
      answer: '异议答复书：维持原列入决定，企业可在整改完成后依法申请信用修复（演示数据）',
    },
  },
];

/** Creates the entries, the credit repair, the objection and its answer, as far as the ledger does not hold them yet. */
export async function loadListEntries(ctx: DemoContext): Promise<void> {
  await Promise.all(
    LIST_ENTRIES.map(async (plan) => {
      const e = enterprise(plan.enterprise);
      const own = ctx.operator(e.city);
      const path = `/api/v1/list-entries/${e.city}/${plan.id}`;
      let view = await own.find<ListEntryView>(path);
      ctx.tally.count('list entry', view === undefined);
      if (!view) {
        const body = {
          id: plan.id,
          subject: subjectOf(e),
          listType: plan.listType,
          legalBasis: plan.legalBasis,
          measures: plan.measures,
          startDate: ctx.dates.date(plan.startDay),
          endDate: ctx.dates.date(plan.endDay),
        };
        await own.post('/api/v1/list-entries', body);
        view = (await own.get<ListEntryView>(path)).body;
      }
      if (plan.creditRepair) {
        const removing = view.state === 'listed';
        ctx.tally.count('credit repair', removing);
        if (removing) {
          await own.post(
            `/api/v1/list-entries/${plan.id}/removal`,
            { reason: 'creditRepair', ...plan.creditRepair },
            demoKey('removal', plan.id),
          );
        }
      }
      const o = plan.objection;
      if (o) {
        let objection = view.objections.find((x) => x.city === o.city && x.objectionId === o.objectionId);
        ctx.tally.count('objection', objection === undefined);
        if (!objection) {
          await ctx
            .operator(o.city)
            .post(
              `/api/v1/list-entries/${e.city}/${plan.id}/objections`,
              { objectionId: o.objectionId, grounds: o.grounds },
              demoKey('objection', o.objectionId),
            );
          objection = { city: o.city, objectionId: o.objectionId };
        }
        const answering = objection.answer === undefined;
        ctx.tally.count('objection answer', answering);
        if (answering) {
          await own.post(
            `/api/v1/objections/${o.city}/${o.objectionId}/answer`,
            { outcome: o.outcome, note: o.note, answer: o.answer },
            demoKey('answer', o.objectionId),
          );
        }
      }
    }),
  );
}
