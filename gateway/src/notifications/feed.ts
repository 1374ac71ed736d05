import type { Logger } from 'pino';
import type { CityId } from '@jcc/domain';
import { Worker } from '../anchor/worker.js';
import type { IndexTables } from '../index/tables.js';
import { eventKey } from '../index/tables.js';
import { randomToken } from '../lib/ids.js';
import type { Clock } from '../lib/time.js';
import { isoTimestamp } from '../lib/time.js';
import type { Store } from '../store/store.js';
import type { WriteOp } from '../store/table.js';
import { deriveNotifications, objectionDeadline, overdueNotification } from './derive.js';
import { dueKey, logKey, type Delivery, type FeedCursor, type NotificationTables, type Subscription } from './tables.js';
import type { LoggedNotification, Notification } from './types.js';

/** Index events read per round. */
const EVENTS_PER_ROUND = 500;

/** Settings of the {@link NotificationFeed}. */
export interface FeedOptions {
  city: CityId;
  objectionDeadlineDays: number;
  /** Notifications kept in the log for SSE resumption. */
  retained: number;
  pollMs: number;
  /** How often pending objections are checked against their deadline (ms). */
  overdueCheckMs?: number;
}

/** Hooks of the feed. */
export interface FeedObserver {
  /** Notifications were logged (and their deliveries queued). */
  onLogged?(notifications: LoggedNotification[], deliveries: number): void;
}

/** A new delivery id: `dlv_`, the creation time in base 36 (so ids sort in creation order), and random characters. */
export function newDeliveryId(now: number): string {
  return `dlv_${now.toString(36).padStart(9, '0')}${randomToken(12)}`;
}

/**
 * The notification feed: follows the event index's log of ledger events (the
 * one place ledger events are read), derives this city's notifications
 * ({@link deriveNotifications}), logs each (for the SSE stream) and queues a
 * delivery for each subscription that asked for its type, in one atomic
 * write with its cursor per index event. It also watches pending objections
 * against this city's entries and reports each once it is overdue.
 *
 * When the index is rebuilt (the ledger re-created, or its projections
 * changed), the event at the cursor no longer matches and the feed reads the
 * index again from the start; notification ids are derived from the ledger
 * facts, so nothing already logged is logged again.
 */
export class NotificationFeed extends Worker {
  readonly #store: Store;
  readonly #tables: NotificationTables;
  readonly #index: IndexTables;
  readonly #options: FeedOptions;
  readonly #clock: Clock;
  readonly #subscribers: () => readonly Subscription[];
  readonly #observer: FeedObserver;
  #lastOverdueCheck = 0;

  constructor(
    store: Store,
    tables: NotificationTables,
    index: IndexTables,
    log: Logger,
    clock: Clock,
    subscribers: () => readonly Subscription[],
    options: FeedOptions,
    observer: FeedObserver = {},
  ) {
    super('notification-feed', log, options.pollMs);
    this.#store = store;
    this.#tables = tables;
    this.#index = index;
    this.#clock = clock;
    this.#subscribers = subscribers;
    this.#options = options;
    this.#observer = observer;
  }

  /** The feed's cursor (after the last index event read). */
  async cursor(): Promise<FeedCursor> {
    return (await this.#tables.meta.get('cursor')) ?? { eventSeq: 0, transactionId: '', name: '', logSeq: 0 };
  }

  protected async tick(): Promise<number | undefined> {
    const more = await this.readIndex();
    const now = this.#clock();
    if (now - this.#lastOverdueCheck >= (this.#options.overdueCheckMs ?? 30_000)) {
      this.#lastOverdueCheck = now;
      await this.checkOverdue();
    }
    return more ? 0 : undefined;
  }

  /** Reads up to one round of index events; true when more are waiting. Exposed for tests. */
  async readIndex(): Promise<boolean> {
    let cursor = await this.cursor();
    if (cursor.eventSeq > 0) {
      const at = await this.#index.events.get(eventKey(cursor.eventSeq));
      if (!at || at.transactionId !== cursor.transactionId || at.name !== cursor.name) {
        this.log.warn({ cursor: cursor.eventSeq }, 'notifications: the event index was rebuilt; reading it again from the start');
        cursor = { ...cursor, eventSeq: 0, transactionId: '', name: '' };
      }
    }
    let read = 0;
    let moved = false;
    const ctx = {
      city: this.#options.city,
      objectionDeadlineDays: this.#options.objectionDeadlineDays,
      lookups: { recognitions: this.#index.recognitions, agencies: this.#index.agencies },
    };
    for await (const [, event] of this.#index.events.entries({ gt: eventKey(cursor.eventSeq), limit: EVENTS_PER_ROUND })) {
      read++;
      const derived = await deriveNotifications(ctx, event);
      const next: FeedCursor = { ...cursor, eventSeq: event.seq, transactionId: event.transactionId, name: event.name };
      if (derived.length === 0) {
        // Most events concern other cities: the cursor passes them in memory and is written with the next
        // notification or at the end of the round (after a crash they are read again, to the same effect).
        cursor = next;
        moved = true;
        continue;
      }
      cursor = await this.#log(derived, next, [], (n, ops) => {
        if (n.type !== 'objection.raised') return;
        const d = n.data as { deadline: string; objectionCity: string; objectionId: string };
        ops.push(this.#tables.watch.putOp(`${d.deadline}|${d.objectionCity}|${d.objectionId}`, `${d.objectionCity}|${d.objectionId}`));
      });
      moved = false;
    }
    if (moved) await this.#store.write([this.#tables.meta.putOp('cursor', cursor)]);
    return read === EVENTS_PER_ROUND;
  }

  /** Reports the watched objections that are past their deadline and still unanswered. Exposed for tests. */
  async checkOverdue(): Promise<void> {
    const now = this.#clock();
    const nowIso = isoTimestamp(now);
    for await (const [key, objectionKey] of this.#tables.watch.entries({ lt: nowIso, limit: 1000 })) {
      const objection = await this.#index.objections.get(objectionKey);
      const ops: WriteOp[] = [this.#tables.watch.delOp(key)];
      if (!objection || objection.answer || objection.entryCity !== this.#options.city) {
        await this.#store.write(ops);
        continue;
      }
      const deadline = objectionDeadline(objection.registeredAt, this.#options.objectionDeadlineDays);
      if (deadline >= nowIso) {
        // The deadline moved (the configured days changed): watch for the new one.
        ops.push(this.#tables.watch.putOp(`${deadline}|${objectionKey}`, objectionKey));
        await this.#store.write(ops);
        continue;
      }
      await this.#log([overdueNotification(this.#options.city, objection, deadline)], await this.cursor(), ops);
    }
  }

  /**
   * Logs the notifications not logged before, queues their deliveries and
   * moves the cursor, in one write with `ops` (and what `onNew` adds for each
   * newly logged notification); returns the new cursor.
   */
  async #log(
    notifications: Notification[],
    next: FeedCursor,
    ops: WriteOp[],
    onNew?: (n: Notification, ops: WriteOp[]) => void,
  ): Promise<FeedCursor> {
    const logged: LoggedNotification[] = [];
    let logSeq = next.logSeq;
    let deliveries = 0;
    const now = this.#clock();
    const seen = new Set<string>();
    for (const n of notifications) {
      if (seen.has(n.id) || (await this.#tables.ids.get(n.id)) !== undefined) continue;
      seen.add(n.id);
      logSeq++;
      const entry: LoggedNotification = { ...n, seq: logSeq };
      logged.push(entry);
      ops.push(this.#tables.log.putOp(logKey(logSeq), entry), this.#tables.ids.putOp(n.id, logSeq));
      for (const sub of this.#subscribers()) {
        if (!sub.events.includes(n.type)) continue;
        const delivery: Delivery = {
          id: newDeliveryId(now),
          subscriptionId: sub.id,
          notification: n,
          state: 'pending',
          attempts: 0,
          createdAt: isoTimestamp(now),
          dueAtMs: now,
        };
        ops.push(this.#tables.deliveries.putOp(delivery.id, delivery), this.#tables.due.putOp(dueKey(now, delivery.id), delivery.id));
        deliveries++;
      }
      onNew?.(n, ops);
    }
    const cursor = { ...next, logSeq };
    ops.push(this.#tables.meta.putOp('cursor', cursor));
    await this.#store.write(ops);
    if (logged.length > 0) {
      this.#observer.onLogged?.(logged, deliveries);
      if (logSeq % 1000 < logged.length) await this.#prune(logSeq);
    }
    return cursor;
  }

  /** Drops the log entries older than the retained number. */
  async #prune(logSeq: number): Promise<void> {
    const below = logSeq - this.#options.retained;
    if (below <= 0) return;
    const ops: WriteOp[] = [];
    for await (const key of this.#tables.log.keys({ lte: logKey(below) })) {
      ops.push(this.#tables.log.delOp(key));
      if (ops.length >= 5000) await this.#store.write(ops.splice(0));
    }
    await this.#store.write(ops);
  }
}
