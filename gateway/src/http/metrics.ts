import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, in a registry of their own. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly ledgerDuration: Histogram<'transaction' | 'kind' | 'outcome'>;
  readonly commitResends: Counter<'transaction'>;
  readonly anchored: Counter<'mode'>;
  readonly anchorFailures: Counter<'mode'>;
  readonly issued: Counter<'mode'>;
  readonly verifications: Counter<'valid'>;
  readonly lookups: Counter<'source' | 'kind'>;
  readonly indexEvents: Counter<'event'>;
  readonly indexLag: Gauge;
  readonly verifyWorkersReady: Gauge;
  readonly outbox: Gauge<'mode'>;
  readonly bulkRecords: Counter<'outcome'>;
  readonly accessLogDiverged: Gauge<'log'>;

  constructor(city: string) {
    this.registry.setDefaultLabels({ city });
    collectDefaultMetrics({ register: this.registry, prefix: 'jcc_gateway_' });
    const registers = [this.registry];
    this.httpDuration = new Histogram({
      name: 'jcc_http_request_duration_seconds',
      help: 'HTTP request duration by route template',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.ledgerDuration = new Histogram({
      name: 'jcc_ledger_call_duration_seconds',
      help: 'Duration of Fabric Gateway calls',
      labelNames: ['transaction', 'kind', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
      registers,
    });
    this.commitResends = new Counter({
      name: 'jcc_ledger_commit_resends_total',
      help: 'Transactions sent to the ordering service again because no commit status came in time (an orderer lost them)',
      labelNames: ['transaction'],
      registers,
    });
    this.anchored = new Counter({ name: 'jcc_documents_anchored_total', help: 'Documents anchored', labelNames: ['mode'], registers });
    this.anchorFailures = new Counter({
      name: 'jcc_anchor_failures_total',
      help: 'Failed anchoring attempts (retried)',
      labelNames: ['mode'],
      registers,
    });
    this.issued = new Counter({ name: 'jcc_documents_issued_total', help: 'Documents issued', labelNames: ['mode'], registers });
    this.verifications = new Counter({ name: 'jcc_verifications_total', help: 'Verifications answered', labelNames: ['valid'], registers });
    this.lookups = new Counter({
      name: 'jcc_ledger_lookups_total',
      help: 'Ledger state lookups of verification, by source',
      labelNames: ['source', 'kind'],
      registers,
    });
    this.indexEvents = new Counter({
      name: 'jcc_index_events_total',
      help: 'Chaincode events applied to the index',
      labelNames: ['event'],
      registers,
    });
    this.indexLag = new Gauge({
      name: 'jcc_index_lag_blocks',
      help: 'Blocks the index is behind the newest event (0 when caught up)',
      registers,
    });
    this.verifyWorkersReady = new Gauge({
      name: 'jcc_verify_workers_ready',
      help: 'Verification worker threads loaded and answering',
      registers,
    });
    this.outbox = new Gauge({ name: 'jcc_outbox_waiting', help: 'Documents waiting to be anchored', labelNames: ['mode'], registers });
    this.bulkRecords = new Counter({
      name: 'jcc_bulk_evaluation_records_total',
      help: 'Bulk evaluation records by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.accessLogDiverged = new Gauge({
      name: 'jcc_access_log_diverged',
      help: "1 when this store's access log cannot be continued (another writer, or entries lost); nothing is written or anchored from it",
      labelNames: ['log'],
      registers,
    });
  }
}
