/**
 * Credit evaluation results (信用评价, 分级分类监管): each demo enterprise is
 * graded A, B, C or D by its own city for the year before the epoch.
 *
 * @packageDocumentation
 */
import { cityById } from '@jcc/domain';
import type { DemoContext } from './context.js';
import { ENTERPRISES, subjectOf, type DemoEnterprise } from './enterprises.js';

/** Grade and score of each enterprise, by enterprise key. */
export const GRADES: Readonly<Record<string, { grade: 'A' | 'B' | 'C' | 'D'; score: number }>> = {
  'qd-machinery': { grade: 'B', score: 78 },
  'qd-coldchain': { grade: 'A', score: 92 },
  'yt-wine': { grade: 'A', score: 90 },
  'yt-fruit': { grade: 'B', score: 81 },
  'wh-seafood': { grade: 'B', score: 84 },
  'wh-gear': { grade: 'C', score: 63 },
  'wf-veg': { grade: 'A', score: 94 },
  'wf-kite': { grade: 'C', score: 61 },
  'rz-steel': { grade: 'D', score: 42 },
  'rz-tea': { grade: 'B', score: 79 },
};

/** The ledger id of an enterprise's demo evaluation. */
export function evaluationId(e: DemoEnterprise): string {
  return `${e.city}-ev-demo-${e.key}`;
}

/** Records the evaluations the ledger does not hold yet. */
export async function loadEvaluations(ctx: DemoContext): Promise<void> {
  const year = ctx.dates.year - 1;
  await Promise.all(
    ENTERPRISES.map(async (e) => {
      const id = evaluationId(e);
      const client = ctx.operator(e.city);
      const present = (await client.find(`/api/v1/evaluations/${e.city}/${id}`)) !== undefined;
      ctx.tally.count('evaluation', !present);
      if (present) return;
      const { grade, score } = GRADES[e.key] ?? { grade: 'B', score: 80 };
      const city = cityById(e.city);
      await client.post('/api/v1/evaluations', {
        id,
        subject: subjectOf(e),
        scheme: `${e.city}.enterprise-public-credit.${year}`,
        grade,
        periodStart: `${year}-01-01`,
        periodEnd: `${year}-12-31`,
        validUntil: ctx.dates.timestamp(2 * 365),
        evidence: `${city.nameZh}市${year}年度企业公共信用综合评价：${e.name}，综合得分${score}分，评价等级${grade}级（演示数据）`,
      });
    }),
  );
}
