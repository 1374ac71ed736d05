/** The results table (Markdown, so the README can carry it as printed). */
import type { BenchResults } from './results.js';
import { fmt } from './common.js';

type Row = [workload: string, measure: string, value: string, target: string];

/** `met` / `missed` against a target, or an empty mark when there is no figure. */
function mark(ok: boolean | undefined): string {
  return ok === undefined ? '' : ok ? ' — met' : ' — **missed**';
}

const has = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Renders the table of a run. */
export function renderTable(r: BenchResults): string {
  const rows: Row[] = [];
  const a = r.anchor;
  if (a?.single)
    rows.push([
      '1 anchoring',
      `single mode, ${fmt(a.single.documents)} docs, ${a.single.clients} clients`,
      `${fmt(a.single.docsPerSec, 1)} docs/s (${fmt(a.single.seconds, 1)} s end to end)`,
      '',
    ]);
  if (a?.batch)
    rows.push([
      a.single ? '' : '1 anchoring',
      `batch mode, ${fmt(a.batch.documents)} docs, ${a.batch.clients} clients`,
      `${fmt(a.batch.docsPerSec)} docs/s (${fmt(a.batch.seconds, 1)} s; issuing alone ${fmt(a.batch.issue.docsPerSec)}/s)`,
      `≥ 3,000 docs/s${mark(has(a.batch.docsPerSec) ? a.batch.docsPerSec >= 3000 : undefined)}`,
    ]);
  if (a && a.batchToSingleRatio !== undefined)
    rows.push([
      '',
      'batch / single',
      `${fmt(a.batchToSingleRatio, 1)}×`,
      `≥ 50×${mark(has(a.batchToSingleRatio) ? a.batchToSingleRatio >= 50 : undefined)}`,
    ]);
  if (a?.bulk)
    rows.push([
      '',
      `bulk issue, ${fmt(a.bulk.documents)} docs, ${a.bulk.clients} NDJSON upload(s)`,
      `${fmt(a.bulk.docsPerSec)} docs/s (${fmt(a.bulk.seconds, 1)} s; issuing alone ${fmt(a.bulk.issue.docsPerSec)}/s)`,
      `≥ 10,000 docs/s${mark(has(a.bulk.docsPerSec) ? a.bulk.docsPerSec >= 10_000 : undefined)}`,
    ]);
  if (a?.error) rows.push(['1 anchoring', 'error', a.error, '']);
  const v = r.verify;
  if (v?.index)
    rows.push([
      '2 verification',
      `local index, ${v.index.connections} connections, ${fmt(v.index.seconds)} s, pool ${fmt(v.pool?.documents)} docs of 5 cities`,
      `${fmt(v.index.reqPerSec)} req/s, p50 ${fmt(v.index.p50Ms, 1)} ms, p99 ${fmt(v.index.p99Ms, 1)} ms`,
      `≥ 5,000 req/s, p99 ≤ 20 ms${mark(v.index.reqPerSec >= 5000 && v.index.p99Ms <= 20)}`,
    ]);
  if (v?.baseline)
    rows.push([
      '',
      `bare baseline (node:http + JSON + Ed25519 only), same cores`,
      `${fmt(v.baseline.reqPerSec)} req/s, p99 ${fmt(v.baseline.p99Ms, 1)} ms; CPU per verification ${fmt(v.baseline.cpuMicrosPerRequest)} µs (gateway ${fmt(v.index?.cpuMicrosPerRequest)} µs)`,
      '',
    ]);
  if (v && v.indexToBaselineRatio !== undefined)
    rows.push([
      '',
      'index / baseline (by rate; by CPU per verification)',
      `${fmt(v.indexToBaselineRatio, 2)}; ${fmt(v.indexToBaselineCpuRatio, 2)}`,
      `≥ 0.5${mark(has(v.indexToBaselineRatio) ? v.indexToBaselineRatio >= 0.5 : undefined)}`,
    ]);
  if (v?.freshness)
    rows.push([
      '',
      `freshness: revocation to every city's verdict, ${v.freshness.revocations} revocations`,
      `worst ${fmt(v.freshness.maxMs, 1)} ms, p50 ${fmt(v.freshness.p50Ms, 1)} ms`,
      `≤ 1,000 ms${mark(v.freshness.revocations > 0 && v.freshness.missed === 0 ? v.freshness.maxMs <= 1000 : false)}`,
    ]);
  if (v?.peer)
    rows.push([
      v.index ? '' : '2 verification',
      `peer query per check, ${v.peer.connections} connections, ${fmt(v.peer.seconds)} s`,
      `${fmt(v.peer.reqPerSec)} req/s, p50 ${fmt(v.peer.p50Ms, 1)} ms, p99 ${fmt(v.peer.p99Ms, 1)} ms`,
      '',
    ]);
  if (v && v.indexToPeerRatio !== undefined)
    rows.push([
      '',
      'index / peer',
      `${fmt(v.indexToPeerRatio, 1)}×`,
      `≥ 5×${mark(has(v.indexToPeerRatio) ? v.indexToPeerRatio >= 5 : undefined)}`,
    ]);
  if (v?.error) rows.push(['2 verification', 'error', v.error, '']);
  const e = r.evaluations;
  if (e?.full)
    rows.push([
      '3 evaluations',
      `${fmt(e.records)} evaluations imported at Qingdao, until every city answers for the last`,
      `${fmt(e.full.seconds, 1)} s (${fmt(e.full.recordsPerSec)} records/s committed; ${fmt(e.full.chunks)} chunks)`,
      `≤ 60 s${mark(e.full.seconds <= 60)}`,
    ]);
  if (e?.second)
    rows.push(['', `a second ${fmt(e.records)} on top`, `${fmt(e.second.seconds, 1)} s (${fmt(e.second.recordsPerSec)} records/s)`, '']);
  if (e?.full?.lookupDuring)
    rows.push([
      '',
      'look-up at Yantai during the load',
      `p50 ${fmt(e.full.lookupDuring.p50Ms, 1)} ms, p99 ${fmt(e.full.lookupDuring.p99Ms, 1)} ms`,
      `p99 ≤ 20 ms${mark(e.full.lookupDuring.p99Ms <= 20)}`,
    ]);
  if (e?.lookupAfter)
    rows.push([
      '',
      `look-up at Yantai after, ${e.lookupAfter.rounds} rounds`,
      `p50 ${fmt(e.lookupAfter.p50Ms, 1)} ms, p99 ${fmt(e.lookupAfter.p99Ms, 1)} ms`,
      `p99 ≤ 20 ms${mark(e.lookupAfter.p99Ms <= 20)}`,
    ]);
  if (e?.full?.gatewayPeakRssMiB) {
    const peak = Math.max(...Object.values(e.full.gatewayPeakRssMiB));
    rows.push(['', 'gateway peak RSS during the load', `${fmt(peak)} MiB`, `< 400 MiB${mark(peak < 400)}`]);
  }
  if (e?.error) rows.push(['3 evaluations', 'error', e.error, '']);
  let first = true;
  for (const m of r.merkle?.sizes ?? []) {
    rows.push([
      first ? '4 cost growth' : '',
      `Merkle batch of ${fmt(m.leaves)}`,
      `build ${fmt(m.buildMs, 1)} ms, proof ${m.proofLength} hashes (log2 n = ${m.log2Leaves}), verify ${fmt(m.verifyMicros, 1)} µs`,
      `proof ≈ log2 n${mark(m.proofLength >= Math.floor(m.log2Leaves) && m.proofLength <= Math.ceil(m.log2Leaves))}`,
    ]);
    first = false;
  }
  for (const mode of ['single', 'batch'] as const) {
    const g = r.cost?.ledgerBytesPerDocument[mode];
    if (!g) continue;
    rows.push([
      first ? '4 cost growth' : '',
      `ledger bytes per document, ${mode} mode`,
      `${fmt(g.peerBlockBytesPerDocument)} B of blocks per peer; ${fmt(g.peerBytesPerDocument)} B per peer with state and indexes; ${fmt(g.networkBytesPerDocument)} B on the 10 nodes`,
      '',
    ]);
    first = false;
  }
  const s = r.startup;
  if (s?.warmSeconds !== undefined)
    rows.push([
      '5 start-up',
      `warm network:up to ready (median of ${s.warmRunsCounted ?? s.warmRuns.length})`,
      `${fmt(s.warmSeconds, 1)} s (network:down took ${fmt(s.warmRuns[0]?.downSeconds, 1)} s)`,
      '',
    ]);
  if (s?.redeploy)
    rows.push([
      s.warmSeconds === undefined ? '5 start-up' : '',
      'chaincode redeploy (next sequence, via network:up)',
      `${fmt(s.redeploy.seconds, 1)} s`,
      '',
    ]);
  if (s?.error) rows.push(['5 start-up', 'error', s.error, '']);
  const m = r.memory;
  if (m?.busiest)
    rows.push([
      '6 memory',
      `peak RSS of the busiest gateway during 1–3 (${m.busiest.name}, ${fmt(m.busiest.cpuSeconds)} CPU s)`,
      `${fmt(m.busiest.peakRssMiB)} MiB`,
      `< 400 MiB${mark(m.busiest.peakRssMiB < 400)}`,
    ]);
  const header: Row = ['workload', 'measure', 'value', 'target'];
  const all = [header, ...rows].map((row) => row.map((c) => c.replace(/\|/g, '\\|')));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] as string).length)));
  const line = (row: string[]): string => `| ${row.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(all[0] as string[]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...all.slice(1).map(line)].join('\n');
}
