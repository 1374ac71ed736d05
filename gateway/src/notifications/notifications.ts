import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CityId } from '@jcc/domain';
import type { GatewayConfig } from '../config/config.js';
import { HttpProblem } from '../http/problem.js';
import type { IndexTables } from '../index/tables.js';
import type { Clock } from '../lib/time.js';
import { isoTimestamp } from '../lib/time.js';
import type { Store } from '../store/store.js';
import { WebhookDeliverer } from './deliverer.js';
import { NotificationFeed } from './feed.js';
import { NotificationMetrics } from './metrics.js';
import { ReceiverGuard } from './receiver-guard.js';
import { newSecret } from './signature.js';
import { dueKey, logKey, notificationTables, type Delivery, type NotificationTables, type Subscription } from './tables.js';
import { httpTransport, type WebhookTransport } from './transport.js';
import type { LoggedNotification, NotificationType } from './types.js';

/** Most subscriptions one gateway keeps. */
export const MAX_SUBSCRIPTIONS = 100;

/** What {@link Notifications.open} needs. */
export interface NotificationDeps {
  city: CityId;
  config: Pick<GatewayConfig, 'notifications' | 'lists'>;
  store: Store;
  index: IndexTables;
  log: Logger;
  clock: Clock;
  registry: Registry;
  /** The way deliveries leave (default: HTTP through the receiver guard). */
  transport?: WebhookTransport;
  /** Poll interval of the workers when not woken (ms; default 1000). */
  pollMs?: number;
}

/** A subscription as the API shows it (never with its secret, except once at creation). */
export type SubscriptionView = Omit<Subscription, 'secret'>;

/** A delivery as the API shows it. */
export type DeliveryView = Omit<Delivery, 'dueAtMs'> & { nextAttemptAt?: string };

/** Raised for a subscription or delivery that does not exist. */
export class NotificationNotFoundError extends HttpProblem {
  constructor(detail: string) {
    super(404, 'not-found', 'Not found', detail, { code: 'NOT_FOUND' });
  }
}

/**
 * A city's notifications (通知): the subscriptions, the feed that derives
 * notifications from the event index and queues their deliveries, the
 * webhook deliverer, and the log the Server-Sent Events stream reads. See
 * docs/notifications.md.
 */
export class Notifications {
  readonly tables: NotificationTables;
  readonly guard: ReceiverGuard;
  readonly feed: NotificationFeed;
  readonly deliverer: WebhookDeliverer;
  readonly metrics: NotificationMetrics;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #subscriptions: Map<string, Subscription>;
  readonly #listeners = new Set<() => void>();
  readonly #closers = new Set<() => void>();
  #stopped = false;
  #streams = 0;
  #lastSeq = 0;

  private constructor(deps: NotificationDeps, tables: NotificationTables, subscriptions: Map<string, Subscription>, lastSeq: number) {
    this.tables = tables;
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#subscriptions = subscriptions;
    this.#lastSeq = lastSeq;
    const settings = deps.config.notifications;
    this.guard = new ReceiverGuard(settings);
    this.metrics = new NotificationMetrics(deps.registry, {
      pending: () => tables.due.count(),
      dead: async () => {
        let n = 0;
        for await (const [, d] of tables.deliveries.entries()) if (d.state === 'dead') n++;
        return n;
      },
      streams: () => this.#streams,
    });
    const pollMs = deps.pollMs ?? 1000;
    this.feed = new NotificationFeed(
      deps.store,
      tables,
      deps.index,
      deps.log,
      deps.clock,
      () => [...this.#subscriptions.values()],
      { city: deps.city, objectionDeadlineDays: deps.config.lists.objectionDeadlineDays, retained: settings.retained, pollMs },
      {
        onLogged: (logged, deliveries) => {
          for (const n of logged) this.metrics.notifications.inc({ type: n.type });
          this.#lastSeq = Math.max(this.#lastSeq, ...logged.map((n) => n.seq));
          for (const listener of this.#listeners) listener();
          if (deliveries > 0) this.deliverer.wake();
        },
      },
    );
    this.deliverer = new WebhookDeliverer(
      deps.store,
      tables,
      (id) => this.#subscriptions.get(id),
      deps.transport ?? httpTransport(this.guard, `jcc-gateway/${deps.city}`),
      deps.log,
      deps.clock,
      { retry: settings.retry, timeoutMs: settings.timeoutMs, concurrency: settings.concurrency, pollMs },
      {
        onAttempt: (outcome, seconds) => (
          this.metrics.attempts.inc({ outcome }),
          this.metrics.attemptDuration.observe({ outcome }, seconds)
        ),
      },
    );
  }

  /** Opens the notification tables and loads the subscriptions; {@link start} runs the workers. */
  static async open(deps: NotificationDeps): Promise<Notifications> {
    const tables = notificationTables(deps.store);
    const subscriptions = new Map<string, Subscription>();
    for await (const [id, sub] of tables.subscriptions.entries()) subscriptions.set(id, sub);
    const cursor = await tables.meta.get('cursor');
    return new Notifications(deps, tables, subscriptions, cursor?.logSeq ?? 0);
  }

  /** Starts the feed and the deliverer. */
  start(): void {
    this.feed.start();
    this.deliverer.start();
  }

  /** Ends the event streams and stops the workers (pending deliveries stay queued in the store). */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const close of [...this.#closers]) close();
    await Promise.allSettled([this.feed.stop(), this.deliverer.stop()]);
  }

  /** The index applied an event: read it now. */
  wake(): void {
    this.feed.wake();
  }

  /**
   * Creates a subscription; the answer carries the signing secret, which is
   * never shown again.
   *
   * @throws ReceiverRefusedError when the URL is not an allowed receiver.
   */
  async subscribe(input: { url: string; events: NotificationType[]; description?: string }, createdBy: string): Promise<Subscription> {
    const url = (await this.guard.check(input.url)).toString();
    if (this.#subscriptions.size >= MAX_SUBSCRIPTIONS)
      throw new HttpProblem(409, 'conflict', 'Conflict', `a gateway keeps at most ${MAX_SUBSCRIPTIONS} subscriptions; delete one first`, {
        code: 'CONFLICT',
      });
    const sub: Subscription = {
      id: `sub_${randomUUID().replaceAll('-', '')}`,
      url,
      events: [...new Set(input.events)],
      ...(input.description ? { description: input.description } : {}),
      secret: newSecret(),
      createdAt: isoTimestamp(this.#clock()),
      createdBy,
    };
    await this.tables.subscriptions.put(sub.id, sub);
    this.#subscriptions.set(sub.id, sub);
    return sub;
  }

  /** The subscriptions, oldest first. */
  list(): SubscriptionView[] {
    return [...this.#subscriptions.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(withoutSecret);
  }

  /** One subscription. @throws NotificationNotFoundError */
  get(id: string): SubscriptionView {
    const sub = this.#subscriptions.get(id);
    if (!sub) throw new NotificationNotFoundError(`no subscription ${id}`);
    return withoutSecret(sub);
  }

  /** Deletes a subscription with its pending and dead deliveries. @throws NotificationNotFoundError */
  async unsubscribe(id: string): Promise<void> {
    if (!this.#subscriptions.has(id)) throw new NotificationNotFoundError(`no subscription ${id}`);
    this.#subscriptions.delete(id);
    const ops = [this.tables.subscriptions.delOp(id)];
    for await (const [key, d] of this.tables.deliveries.entries()) {
      if (d.subscriptionId !== id) continue;
      ops.push(this.tables.deliveries.delOp(key));
      if (d.dueAtMs !== undefined) ops.push(this.tables.due.delOp(dueKey(d.dueAtMs, d.id)));
    }
    await this.#store.write(ops);
  }

  /** Deliveries in creation order, by state and subscription, after the delivery id `after`. */
  async deliveries(filter: { state?: Delivery['state']; subscription?: string; after?: string; limit: number }): Promise<DeliveryView[]> {
    const out: DeliveryView[] = [];
    for await (const [, d] of this.tables.deliveries.entries(filter.after ? { gt: filter.after } : {})) {
      if (filter.state && d.state !== filter.state) continue;
      if (filter.subscription && d.subscriptionId !== filter.subscription) continue;
      out.push(deliveryView(d));
      if (out.length >= filter.limit) break;
    }
    return out;
  }

  /**
   * Queues a dead letter again, with a fresh retry budget.
   *
   * @throws NotificationNotFoundError; HttpProblem 409 when it is not a dead letter.
   */
  async redeliver(id: string): Promise<DeliveryView> {
    const d = await this.tables.deliveries.get(id);
    if (!d) throw new NotificationNotFoundError(`no delivery ${id}`);
    if (d.state !== 'dead')
      throw new HttpProblem(409, 'invalid-state', 'Invalid state', `delivery ${id} is still pending; only a dead letter is redelivered`, {
        code: 'INVALID_STATE',
      });
    const now = this.#clock();
    const { deadAt: _dead, ...rest } = d;
    const again: Delivery = { ...rest, state: 'pending', attempts: 0, dueAtMs: now };
    await this.#store.write([this.tables.deliveries.putOp(id, again), this.tables.due.putOp(dueKey(now, id), id)]);
    this.deliverer.wake();
    return deliveryView(again);
  }

  /** The position of the newest notification logged. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Up to `limit` logged notifications after position `seq`, oldest first. */
  async after(seq: number, limit: number): Promise<LoggedNotification[]> {
    const out: LoggedNotification[] = [];
    for await (const [, n] of this.tables.log.entries({ gt: logKey(seq), limit })) out.push(n);
    return out;
  }

  /**
   * Follows the log for an event stream: `onWake` runs whenever notifications
   * are logged, and `onClose` when the gateway stops (never synchronously).
   * Returns the function that ends the following.
   */
  follow(onWake: () => void, onClose: () => void): () => void {
    if (this.#stopped) {
      queueMicrotask(onClose);
      return () => undefined;
    }
    this.#streams++;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      this.#streams--;
      this.#listeners.delete(onWake);
      this.#closers.delete(close);
    };
    const close = (): void => {
      end();
      onClose();
    };
    this.#listeners.add(onWake);
    this.#closers.add(close);
    return end;
  }
}

function withoutSecret(sub: Subscription): SubscriptionView {
  const { secret: _secret, ...view } = sub;
  return view;
}

function deliveryView(d: Delivery): DeliveryView {
  const { dueAtMs, ...rest } = d;
  return { ...rest, ...(d.state === 'pending' && dueAtMs !== undefined ? { nextAttemptAt: isoTimestamp(dueAtMs) } : {}) };
}
