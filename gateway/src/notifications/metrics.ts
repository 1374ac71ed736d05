import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the gauges read when scraped. */
export interface NotificationGauges {
  pending(): Promise<number>;
  dead(): Promise<number>;
  streams(): number;
}

/** Prometheus metrics of notifications and webhook deliveries, in the gateway's registry. */
export class NotificationMetrics {
  readonly notifications: Counter<'type'>;
  readonly attempts: Counter<'outcome'>;
  readonly attemptDuration: Histogram<'outcome'>;

  constructor(registry: Registry, gauges: NotificationGauges) {
    const registers = [registry];
    this.notifications = new Counter({
      name: 'jcc_notifications_total',
      help: 'Notifications derived from ledger events (and objection deadlines) for this city',
      labelNames: ['type'],
      registers,
    });
    this.attempts = new Counter({
      name: 'jcc_webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome (delivered, failed and to be retried, dead after the retry budget)',
      labelNames: ['outcome'],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'jcc_webhook_attempt_duration_seconds',
      help: 'Duration of webhook delivery attempts',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: 'jcc_webhook_deliveries_pending',
      help: 'Webhook deliveries waiting for their next attempt',
      registers,
      async collect() {
        this.set(await gauges.pending());
      },
    });
    new Gauge({
      name: 'jcc_webhook_dead_letters',
      help: 'Webhook deliveries that spent their retry budget (dead letters)',
      registers,
      async collect() {
        this.set(await gauges.dead());
      },
    });
    new Gauge({
      name: 'jcc_event_streams_open',
      help: 'Server-Sent Events streams open',
      registers,
      collect() {
        this.set(gauges.streams());
      },
    });
  }
}
