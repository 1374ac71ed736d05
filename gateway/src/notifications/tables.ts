import type { Store } from '../store/store.js';
import type { Table } from '../store/table.js';
import type { LoggedNotification, Notification, NotificationType } from './types.js';

/** A webhook subscription of this city's operators. */
export interface Subscription {
  id: string;
  url: string;
  events: NotificationType[];
  description?: string;
  /** The signing secret (`whsec_…`); shown to the operator once, at creation. */
  secret: string;
  createdAt: string;
  /** The token subject that created it. */
  createdBy: string;
}

/** A delivery of one notification to one subscription: pending (due at `nextAttemptAt`) or dead (retry budget spent). */
export interface Delivery {
  /** `dlv_…`, sorting in creation order. */
  id: string;
  subscriptionId: string;
  notification: Notification;
  state: 'pending' | 'dead';
  attempts: number;
  createdAt: string;
  /** When the next attempt is due (pending), epoch ms. */
  dueAtMs?: number;
  lastAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  deadAt?: string;
}

/** How far the notification feed has read the event index's log, and the last position of its own log. */
export interface FeedCursor {
  /** The last index event read (its `seq`, and what it was, to notice an index rebuilt under it). */
  eventSeq: number;
  transactionId: string;
  name: string;
  /** The last notification logged. */
  logSeq: number;
}

/**
 * The notification tables of the store. Every change is one atomic write:
 * reading an index event, logging what it causes and queueing its deliveries
 * go together with the cursor, so after a crash nothing is lost or logged twice.
 */
export interface NotificationTables {
  subscriptions: Table<Subscription>;
  /** Zero-padded seq → the notification (the SSE stream and its resumption). */
  log: Table<LoggedNotification>;
  /** Notification id → seq: each fact is logged once, even when the index is rebuilt and read again. */
  ids: Table<number>;
  deliveries: Table<Delivery>;
  /** `<zero-padded due ms>|<delivery id>` → delivery id, for pending deliveries. */
  due: Table<string>;
  /** `<deadline>|<objection city>|<objection id>`: pending objections against this city's entries, watched for their deadline. */
  watch: Table<string>;
  meta: Table<FeedCursor>;
}

/** Opens the notification tables in the store. */
export function notificationTables(store: Store): NotificationTables {
  return {
    subscriptions: store.table('nt.subscriptions'),
    log: store.table('nt.log'),
    ids: store.table('nt.ids'),
    deliveries: store.table('nt.deliveries'),
    due: store.table('nt.due'),
    watch: store.table('nt.watch'),
    meta: store.table('nt.meta'),
  };
}

/** Key of a notification in the log. */
export function logKey(seq: number): string {
  return String(seq).padStart(16, '0');
}

/** Key of a pending delivery in the due index. */
export function dueKey(dueAtMs: number, deliveryId: string): string {
  return `${String(Math.max(0, Math.floor(dueAtMs))).padStart(15, '0')}|${deliveryId}`;
}
