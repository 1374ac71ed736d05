import { Option, type Command } from 'commander';
import { contextFor, parsePositiveInt } from '../lib/context.js';
import { usageError } from '../lib/exit.js';
import type { Answer, RequestBody } from '@jcc/client';
import { NOTIFICATION_TYPES } from '@jcc/domain';

/** A subscription as the gateway shows it. */
type Subscription = Answer<'getSubscription'>;

/** `--events a,b` → the list, checked against {@link NOTIFICATION_TYPES} (`all` names every type). */
export function parseEvents(text: string): RequestBody<'createSubscription'>['events'] {
  const events = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (events.length === 1 && events[0] === 'all') return [...NOTIFICATION_TYPES];
  const known = (e: string): e is (typeof NOTIFICATION_TYPES)[number] => (NOTIFICATION_TYPES as readonly string[]).includes(e);
  const unknown = events.filter((e) => !known(e));
  if (events.length === 0 || unknown.length > 0)
    throw usageError(
      `--events: comma-separated, from ${NOTIFICATION_TYPES.join(', ')} (or all)${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  return events.filter(known);
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
      const body = await ctx.gateway().call((api) => api.GET('/api/v1/subscriptions'), 'required');
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
      const created = await ctx.gateway().call((api) => api.POST('/api/v1/subscriptions', { body }), 'required');
      if (ctx.options.json) return ctx.printJson(created);
      ctx.print(subscriptionLine(created));
      ctx.print(`secret ${created.secret}`);
      ctx.note('keep the secret: it verifies the webhook-signature of every delivery and is not shown again');
    });
  subs
    .command('remove')
    .description('delete a subscription with its pending deliveries and dead letters')
    .argument('<id>', 'subscription id (sub_…)')
    .action(async (id: string, _opts: unknown, command: Command) => {
      const ctx = contextFor(command);
      if (!/^sub_[0-9a-f]{32}$/.test(id)) throw usageError(`not a subscription id: ${id}`);
      await ctx.gateway().call((api) => api.DELETE('/api/v1/subscriptions/{id}', { params: { path: { id } } }), 'required');
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
      const query = {
        ...(opts.state ? { state: opts.state as 'pending' | 'dead' } : {}),
        ...(opts.subscription ? { subscription: opts.subscription } : {}),
        pageSize: parsePositiveInt(opts.pageSize, '--page-size'),
      };
      const body = await ctx.gateway().call((api) => api.GET('/api/v1/deliveries', { params: { query } }), 'required');
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
      const body = await ctx
        .gateway()
        .call((api) => api.POST('/api/v1/deliveries/{id}/redeliver', { params: { path: { id } } }), 'required');
      if (ctx.options.json) return ctx.printJson(body);
      ctx.print(`${body.id} queued again (next attempt ${body.nextAttemptAt ?? 'now'})`);
    });
}
