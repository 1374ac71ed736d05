/**
 * Workload 1: anchoring. Documents are issued at one gateway (Qingdao's) by
 * 32 concurrent clients, in `single` mode (one transaction each) and in
 * `batch` mode (Merkle batches), and in `bulk` (batch-mode documents from one
 * NDJSON upload, `POST /api/v1/reports/bulk`); documents per second end to
 * end, from the first request until the ledger holds the last document's
 * anchor. Also measures the ledger bytes on disk each mode adds per document
 * (workload 4), and the CPU time per document of every process (robust when
 * the machine is shared, unlike the wall-clock rates).
 */
import { cpuMsPer, observed, type BenchContext } from './context.js';
import { fmt, logger } from './common.js';
import {
  fabricCpu,
  ledgerBytes,
  ledgerGrowth,
  waitPeersInSync,
  type CpuBreakdown,
  type FabricFigures,
  type LedgerGrowth,
} from './fabric.js';
import { gatewayMetrics } from './gateways.js';
import { issueBulkDocuments } from './bulk-issue.js';
import { confirmAnchored, issueAndAnchor } from './issue.js';
import { total } from './prom.js';
import { round } from './stats.js';

/** Figures of one mode. */
export interface AnchorModeFigures {
  documents: number;
  clients: number;
  /** Documents per second, first request to last document anchored. */
  docsPerSec: number | null;
  /** Seconds, first request to last document anchored. */
  seconds: number | null;
  issue: { seconds: number; docsPerSec: number; failed: number; firstError?: string; latencyMs: { p50: number; p99: number } };
  /** Documents seen anchored on the ledger (the gateway's audit trail of chaincode events). */
  anchored: number;
  /** Growth of the gateway's own anchored-documents counter; more than `anchored` when the gateway completed a batch more than once. */
  gatewayCounterGrowth: number;
  /** Anchoring attempts that failed and were retried (gateway counter). */
  anchorRetries: number;
  /** States read back through `GET /api/v1/reports/{id}` once the ledger held every anchor (all documents in single mode, a sample in batch mode; a pending one was polled until anchored). */
  confirmed: { checked: number; anchored: number; states: Record<string, number> };
  ledger: LedgerGrowth;
  /** CPU time per document of the issuing gateway process, and of the network's processes together (peers, ordering nodes, chaincode servers), ms. */
  gatewayCpuMsPerDocument: number | null;
  fabricCpuMsPerDocument: number | null;
  /** CPU microseconds per document of each process group (gateways by name, peers, ordering nodes, chaincode servers, the benchmark client). */
  cpuMicrosPerDocument: Record<string, number>;
  fabric: FabricFigures;
  cpu: CpuBreakdown;
}

/** Figures of workload 1. */
export interface AnchorFigures {
  single?: AnchorModeFigures;
  batch?: AnchorModeFigures;
  /** Batch-mode documents issued in bulk uploads (`clients` is the number of uploads). */
  bulk?: AnchorModeFigures;
  /** batch.docsPerSec / single.docsPerSec */
  batchToSingleRatio?: number | null;
}

async function runMode(
  ctx: BenchContext,
  kind: 'single' | 'batch' | 'bulk',
  count: number,
  subjectBase: number,
): Promise<AnchorModeFigures> {
  const log = logger(`anchor ${kind}`);
  const url = ctx.urlOf('qingdao');
  const mode = kind === 'single' ? 'single' : 'batch';
  const clients = kind === 'bulk' ? ctx.options.sizes.bulkStreams : ctx.options.sizes.clients;
  log(`${fmt(count)} documents, ${clients} ${kind === 'bulk' ? 'bulk upload(s)' : 'clients'}, at ${url}`);
  await waitPeersInSync();
  const bytesBefore = await ledgerBytes();
  const failuresBefore = total(await gatewayMetrics(url), 'jcc_anchor_failures_total', { mode });
  const { result, fabric, cpu } = await observed(ctx, () =>
    issueAndAnchor({
      url,
      city: 'qingdao',
      mode,
      count,
      clients,
      subjectBase,
      reportType: `bench-${kind}`,
      log,
      label: kind,
      ...(kind === 'bulk'
        ? {
            issue: (hooks) =>
              issueBulkDocuments({ url, city: 'qingdao', count, streams: clients, subjectBase, reportType: 'bench-bulk', ...hooks }),
          }
        : {}),
    }),
  );
  const ids = result.issue.ids;
  const confirmed = await confirmAnchored(url, 'qingdao', mode, ids, result.ledgerDoneAt);
  const failuresAfter = total(await gatewayMetrics(url), 'jcc_anchor_failures_total', { mode });
  await waitPeersInSync();
  const bytesAfter = await ledgerBytes();
  const e2e = confirmed.end === undefined ? undefined : (confirmed.end - result.startedAt) / 1000;
  const figures: AnchorModeFigures = {
    documents: ids.length,
    clients,
    docsPerSec: e2e ? round(ids.length / e2e, 1) : null,
    seconds: e2e ? round(e2e, 2) : null,
    issue: {
      seconds: round(result.issue.seconds, 2),
      docsPerSec: round(ids.length / result.issue.seconds, 1),
      failed: result.issue.failed,
      ...(result.issue.firstError ? { firstError: result.issue.firstError } : {}),
      latencyMs: result.issue.latencyMs,
    },
    anchored: result.anchored,
    gatewayCounterGrowth: Math.round(result.counterGrowth),
    anchorRetries: Math.round(failuresAfter - failuresBefore),
    confirmed: { checked: confirmed.checked, anchored: confirmed.states.anchored ?? 0, states: confirmed.states },
    ledger: ledgerGrowth(bytesBefore, bytesAfter, ids.length),
    gatewayCpuMsPerDocument: cpuMsPer(cpu, ctx.nameOf('qingdao'), ids.length),
    fabricCpuMsPerDocument: ids.length ? round((fabricCpu(cpu) * 1000) / ids.length, 2) : null,
    cpuMicrosPerDocument: ids.length
      ? Object.fromEntries(Object.entries(cpu.seconds).map(([name, sec]) => [name, round((sec * 1e6) / ids.length, 1)]))
      : {},
    fabric,
    cpu,
  };
  log(
    `${fmt(figures.docsPerSec, 1)} documents/s end to end (${fmt(figures.seconds, 1)} s; issuing alone ${fmt(figures.issue.docsPerSec)}/s); ` +
      `${figures.confirmed.anchored}/${figures.confirmed.checked} read back anchored; ledger bytes per document per peer: ${fmt(figures.ledger.peerBlockBytesPerDocument)} of blocks, ${fmt(figures.ledger.peerBytesPerDocument)} in all; ` +
      `${fabric.blocks} blocks, ${fmt(fabric.transactionsPerBlock, 1)} tx/block; CPU per document: gateway ${figures.gatewayCpuMsPerDocument} ms, Fabric ${figures.fabricCpuMsPerDocument} ms; CPU s ${JSON.stringify(cpu.seconds)}`,
  );
  log(
    `CPU µs per document by process: ${Object.entries(figures.cpuMicrosPerDocument)
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => `${name} ${fmt(us, 1)}`)
      .join(', ')}`,
  );
  return figures;
}

/** Runs workload 1 (single mode first, then batch mode, then the bulk issue). */
export async function benchAnchoring(ctx: BenchContext, onPartial: (f: AnchorFigures) => void): Promise<AnchorFigures> {
  const out: AnchorFigures = {};
  out.single = await runMode(ctx, 'single', ctx.options.sizes.singleDocuments, 0);
  onPartial(out);
  out.batch = await runMode(ctx, 'batch', ctx.options.sizes.batchDocuments, 10_000_000);
  out.batchToSingleRatio = out.single.docsPerSec && out.batch.docsPerSec ? round(out.batch.docsPerSec / out.single.docsPerSec, 1) : null;
  logger('anchor')(`batch/single = ${fmt(out.batchToSingleRatio, 1)}×`);
  onPartial(out);
  out.bulk = await runMode(ctx, 'bulk', ctx.options.sizes.bulkDocuments, 40_000_000);
  return out;
}
