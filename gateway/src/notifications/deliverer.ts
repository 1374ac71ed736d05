import type { Logger } from 'pino';
import { Worker } from '../anchor/worker.js';
import { backoffDelay, type BackoffOptions } from '../lib/backoff.js';
import type { Clock } from '../lib/time.js';
import { isoTimestamp } from '../lib/time.js';
import type { Store } from '../store/store.js';
import type { WriteOp } from '../store/table.js';
import { signedHeaders } from './signature.js';
import { dueKey, type Delivery, type NotificationTables, type Subscription } from './tables.js';
import type { AttemptOutcome, WebhookTransport } from './transport.js';

/** Settings of the {@link WebhookDeliverer}. */
export interface DelivererOptions {
  retry: BackoffOptions & { attempts: number };
  timeoutMs: number;
  concurrency: number;
  pollMs: number;
}

/** Hooks for metrics. */
export interface DelivererObserver {
  /** One attempt ended: `delivered`, `failed` (to be retried) or `dead` (retry budget spent). */
  onAttempt?(outcome: 'delivered' | 'failed' | 'dead', seconds: number): void;
}

/**
 * Delivers the queued webhook deliveries: each due delivery is POSTed to its
 * subscription's URL, signed afresh for the attempt ({@link signedHeaders});
 * a 2xx answer removes it, anything else schedules the next attempt after a
 * full-jitter exponential back-off, and after `retry.attempts` attempts it
 * becomes a dead letter (kept, listed, and redelivered on request). Every
 * state change is one atomic store write, so a restart resumes where it
 * stopped; an attempt cut off by a stop or crash is made again (at-least-once:
 * receivers recognise a repeat by its `webhook-id`).
 */
export class WebhookDeliverer extends Worker {
  readonly #store: Store;
  readonly #tables: NotificationTables;
  readonly #subscription: (id: string) => Subscription | undefined;
  readonly #transport: WebhookTransport;
  readonly #clock: Clock;
  readonly #options: DelivererOptions;
  readonly #observer: DelivererObserver;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();

  constructor(
    store: Store,
    tables: NotificationTables,
    subscription: (id: string) => Subscription | undefined,
    transport: WebhookTransport,
    log: Logger,
    clock: Clock,
    options: DelivererOptions,
    observer: DelivererObserver = {},
  ) {
    super('webhook-deliverer', log, options.pollMs);
    this.#store = store;
    this.#tables = tables;
    this.#subscription = subscription;
    this.#transport = transport;
    this.#clock = clock;
    this.#options = options;
    this.#observer = observer;
  }

  /** Attempts in flight right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  protected async tick(): Promise<number | undefined> {
    const now = this.#clock();
    let next: number | undefined;
    const free = this.#options.concurrency - this.#inFlight.size;
    if (free <= 0) return undefined;
    let started = 0;
    for await (const [key, id] of this.#tables.due.entries({ limit: free + this.#inFlight.size })) {
      const dueAt = Number(key.slice(0, key.indexOf('|')));
      if (dueAt > now) {
        next = dueAt - now;
        break;
      }
      if (this.#inFlight.has(id)) continue;
      const attempt = this.#attempt(key, id)
        .catch((err: unknown) => this.log.error({ err: (err as Error).message, delivery: id }, 'delivery attempt failed to record'))
        .finally(() => {
          this.#inFlight.delete(id);
          this.wake();
        });
      this.#inFlight.set(id, attempt);
      if (++started >= free) break;
    }
    return next;
  }

  /** Stops: no new attempts, attempts in flight cut off (they stay due and are made again after a restart). */
  override async stop(): Promise<void> {
    await super.stop();
    this.#abort.abort(new Error('stopping'));
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  async #attempt(key: string, id: string): Promise<void> {
    const delivery = await this.#tables.deliveries.get(id);
    if (!delivery || delivery.state !== 'pending' || delivery.dueAtMs === undefined || dueKey(delivery.dueAtMs, id) !== key) {
      await this.#store.write([this.#tables.due.delOp(key)]);
      return;
    }
    const sub = this.#subscription(delivery.subscriptionId);
    if (!sub) {
      // The subscription was deleted: its deliveries go with it.
      await this.#store.write([this.#tables.due.delOp(key), this.#tables.deliveries.delOp(id)]);
      return;
    }
    const body = JSON.stringify(delivery.notification);
    const started = this.#clock();
    const headers = signedHeaders(sub.secret, delivery.notification.id, body, started);
    let outcome: AttemptOutcome;
    try {
      outcome = await this.#transport(sub.url, headers, body, { timeoutMs: this.#options.timeoutMs, signal: this.#abort.signal });
    } catch (err) {
      outcome = { ok: false, error: (err as Error).message };
    }
    if (this.#abort.signal.aborted && !outcome.ok) return;
    const ended = this.#clock();
    const seconds = (ended - started) / 1000;
    const attempts = delivery.attempts + 1;
    const ops: WriteOp[] = [this.#tables.due.delOp(key)];
    if (outcome.ok) {
      ops.push(this.#tables.deliveries.delOp(id));
      await this.#store.write(ops);
      this.#observer.onAttempt?.('delivered', seconds);
      this.log.debug({ delivery: id, subscription: sub.id, attempts }, 'webhook delivered');
      return;
    }
    const { dueAtMs: _due, ...rest } = delivery;
    const tried: Delivery = {
      ...rest,
      attempts,
      lastAttemptAt: isoTimestamp(started),
      ...(outcome.status === undefined ? {} : { lastStatus: outcome.status }),
      lastError: (outcome.error ?? 'failed').slice(0, 500),
    };
    if (outcome.status === undefined) delete tried.lastStatus;
    if (attempts >= this.#options.retry.attempts) {
      ops.push(this.#tables.deliveries.putOp(id, { ...tried, state: 'dead', deadAt: isoTimestamp(ended) }));
      await this.#store.write(ops);
      this.#observer.onAttempt?.('dead', seconds);
      this.log.warn({ delivery: id, subscription: sub.id, attempts, error: tried.lastError }, 'webhook delivery gave up: dead letter');
      return;
    }
    const dueAtMs = ended + backoffDelay(attempts, this.#options.retry);
    ops.push(this.#tables.deliveries.putOp(id, { ...tried, dueAtMs }), this.#tables.due.putOp(dueKey(dueAtMs, id), id));
    await this.#store.write(ops);
    this.#observer.onAttempt?.('failed', seconds);
    this.log.info(
      { delivery: id, subscription: sub.id, attempts, error: tried.lastError, retryInMs: dueAtMs - ended },
      'webhook delivery failed; will retry',
    );
  }
}
