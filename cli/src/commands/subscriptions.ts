import { Option, type Command } from 'commander';
import { contextFor, parsePositiveInt } from '../lib/context.js';
import { usageError } from '../lib/exit.js';
import { NOTIFICATION_TYPES } from '@jcc/domain';

interface Subscription {
  id: string;
  url: string;
  events: string[];
  description?: string;
  createdAt: string;
  secret?: string;
}

interface Delivery {
  id: string;
  subscriptionId: string;
  state: 'pending' | 'dead';
  attempts: number;
  notification: { id: string; type: string };
  nextAttemptAt?: string;
  lastError?: string;
  deadAt?: string;
}

/** `--events a,b` → the list, checked against {@link NOTIFICATION_TYPES} (`all` names every type). */
export function parseEvents(text: string): string[] {
  const events = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (events.length === 1 && events[0] === 'all') return [...NOTIFICATION_TYPES];
  const unknown = events.filter((e) => !(NOTIFICATION_TYPES as readonly string[]).includes(e));
  if (events.length === 0 || unknown.length > 0)
    throw usageError(
      `--events: comma-separated, from ${NOTIFICATION_TYPES.join(', ')} (or all)${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  return events;
}

const subscriptionLine = (s: Subscription): string =>
  `${s.id}  ${s.url}  ${s.events.join(',')}  created ${s.createdAt}${s.description ? `  — ${s.description}` : ''}`;

/**
 * `jcc subscriptions` (list, add, remove) and `jcc deliveries` (list,
 * redeliver): webhook subscriptions of the operator's city and the deliveries
 * not yet made (docs/notifications.md).
 */
export function registerSubscriptions(program: Command): void {
  const subs = program.command('subscriptions').description("webhook subscriptions of this city's notifications (operator token)");
  subs
    .command('list', { isDefault: true })
    .description('list the subscriptions')
    .action(async (_opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      const { body } = await ctx.gateway().request<{ records: Subscription[] }>('GET', '/api/v1/subscriptions', { auth: 'required' });
      if (ctx.options.json) return ctx.printJson(body);
      if (body.records.length === 0) ctx.print('no subscriptions');
      for (const s of body.records) ctx.print(subscriptionLine(s));
    });
  subs
    .command('add')
    .description('subscribe a receiver URL; prints the signing secret, which is shown only this once')
    .argument('<url>', 'the receiver (https://…; http to loopback in development)')
    .requiredOption('--events <types>', `comma-separated: ${NOTIFICATION_TYPES.join(', ')}, or all`)
    .option('--description <text>', 'what the receiver is')
    .action(async (url: string, opts: { events: string; description?: string }, command: Command) => {
      const ctx = contextFor(command);
      const body = { url, events: parseEvents(opts.events), ...(opts.description ? { description: opts.description } : {}) };
      const { body: created } = await ctx.gateway().request<Subscription>('POST', '/api/v1/subscriptions', { auth: 'required', body });
      if (ctx.options.json) return ctx.printJson(created);
      ctx.print(subscriptionLine(created));
      ctx.print(`secret ${created.secret ?? '-'}`);
      ctx.note('keep the secret: it verifies the webhook-signature of every delivery and is not shown again');
    });
  subs
    .command('remove')
    .description('delete a subscription with its pending deliveries and dead letters')
    .argument('<id>', 'subscription id (sub_…)')
    .action(async (id: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      if (!/^sub_[0-9a-f]{32}$/.test(id)) throw usageError(`not a subscription id: ${id}`);
      await ctx.gateway().request('DELETE', `/api/v1/subscriptions/${id}`, { auth: 'required' });
      if (ctx.options.json) return ctx.printJson({ deleted: id });
      ctx.print(`deleted ${id}`);
    });

  const deliveries = program
    .command('deliveries')
    .description('webhook deliveries not yet made: pending and dead letters (operator token)');
  deliveries
    .command('list', { isDefault: true })
    .description('list pending deliveries and dead letters, oldest first')
    .addOption(new Option('--state <state>', 'pending or dead').choices(['pending', 'dead']))
    .option('--subscription <id>', 'of one subscription')
    .option('--page-size <n>', 'at most this many', '100')
    .action(async (opts: { state?: string; subscription?: string; pageSize: string }, command: Command) => {
      const ctx = contextFor(command);
      const query = new URLSearchParams();
      if (opts.state) query.set('state', opts.state);
      if (opts.subscription) query.set('subscription', opts.subscription);
      query.set('pageSize', String(parsePositiveInt(opts.pageSize, '--page-size')));
      const { body } = await ctx
        .gateway()
        .request<{ records: Delivery[]; nextAfter: string }>('GET', `/api/v1/deliveries?${query.toString()}`, { auth: 'required' });
      if (ctx.options.json) return ctx.printJson(body);
      if (body.records.length === 0) ctx.print('no deliveries waiting');
      for (const d of body.records)
        ctx.print(
          `${d.id}  ${d.state === 'dead' ? 'DEAD' : 'pending'}  ${d.notification.type} ${d.notification.id}  to ${d.subscriptionId}  attempts ${d.attempts}` +
            (d.state === 'pending' ? `  next ${d.nextAttemptAt ?? '-'}` : `  since ${d.deadAt ?? '-'}`) +
            (d.lastError ? `  (${d.lastError})` : ''),
        );
    });
  deliveries
    .command('redeliver')
    .description('queue a dead letter again, with a fresh retry budget')
    .argument('<id>', 'delivery id (dlv_…)')
    .action(async (id: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      if (!/^dlv_[0-9a-z]{21}$/.test(id)) throw usageError(`not a delivery id: ${id}`);
      const { body } = await ctx.gateway().request<Delivery>('POST', `/api/v1/deliveries/${id}/redeliver`, { auth: 'required' });
      if (ctx.options.json) return ctx.printJson(body);
      ctx.print(`${body.id} queued again (next attempt ${body.nextAttemptAt ?? 'now'})`);
    });
}
