import { z } from 'zod';
import { route, type AnyRoute } from '../http/route.js';
import type { Services } from '../services.js';
import { computeStatistics, statisticsCsv, type Statistics } from './statistics.js';

/** How long figures computed for one index checkpoint are served again (the agreements' and entries' dates move with the clock). */
export const STATISTICS_TTL_MS = 60_000;

/** Whether a request asks for CSV: `?format=csv`, or an `Accept` preferring `text/csv` (with no `format`). */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  if (format) return format === 'csv';
  if (!accept) return false;
  const csv = accept.indexOf('text/csv');
  const json = accept.indexOf('application/json');
  return csv >= 0 && (json < 0 || csv < json);
}

/** The public statistics route of the 城市信用合作 column. */
export function statisticsRoutes(s: Services): AnyRoute[] {
  let cached: { seq: number; at: number; stats: Statistics } | undefined;
  const current = async (): Promise<Statistics> => {
    const cp = s.index.checkpoint;
    const seq = cp?.seq ?? 0;
    const now = s.clock();
    if (cached && cached.seq === seq && now - cached.at < STATISTICS_TTL_MS) return cached.stats;
    const stats = await computeStatistics(
      s.index.tables,
      {
        blockNumber: cp ? Number(cp.blockNumber) : null,
        transactionId: cp?.transactionId ?? null,
        caughtUp: s.index.caughtUp,
        computedBy: s.city,
      },
      now,
    );
    cached = { seq, at: now, stats };
    return stats;
  };
  return [
    route({
      method: 'get',
      path: '/api/v1/public/statistics',
      operationId: 'publicStatistics',
      summary: '城市信用合作: figures of the five cities, per city and per month, as of a block',
      description:
        "Documents anchored (alone and as Merkle leaves), recognition decisions given and received, recognition agreements in force, list entries by type and status, agencies, alliance members in good standing and supervision actions, per city, and per month (China Standard Time) for the activities. Computed from this gateway's index of the ledger; `ledger.blockNumber` is the block the figures reflect. Counts only: no subject, pseudonym, identifier or free text. JSON by default; CSV (`period,city,metric,value,blockNumber`) with `?format=csv` or `Accept: text/csv`.",
      tags: ['public'],
      access: 'public',
      rateLimited: true,
      query: z.strictObject({ format: z.enum(['json', 'csv']).optional().describe('json (default) or csv') }),
      responses: {
        200: { description: 'the figures (JSON, or CSV with format=csv / Accept: text/csv)' },
      },
      async handler({ query, req, res }) {
        const stats = await current();
        if (wantsCsv(query.format, req.headers.accept)) {
          res
            .status(200)
            .setHeader('Content-Type', 'text/csv; charset=utf-8')
            .setHeader('Content-Disposition', `inline; filename="jiaodong-statistics-block-${stats.ledger.blockNumber ?? 0}.csv"`)
            .setHeader('Cache-Control', 'public, max-age=60')
            .send(statisticsCsv(stats));
          return undefined;
        }
        return { status: 200, body: stats, headers: { 'Cache-Control': 'public, max-age=60', Vary: 'Accept' } };
      },
    }),
  ];
}
