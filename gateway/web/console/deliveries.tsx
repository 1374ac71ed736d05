/** Failed webhook deliveries (投递失败的通知): dead letters, redelivered from here, and pending retries with their next attempt. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { request, type ApiError } from '../shared/api.js';
import { Instant } from '../shared/time.js';
import { Badge, ProblemAlert, problemOf, RecordsTable, useAction } from './components.js';
import { label, useConsole, valueLabel } from './context.js';

/** A delivery as `GET /api/v1/deliveries` answers it. */
export interface DeliveryRecord {
  id: string;
  subscriptionId: string;
  notification: { id: string; type: string };
  state: 'pending' | 'dead';
  attempts: number;
  createdAt: string;
  nextAttemptAt?: string;
  lastAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
  deadAt?: string;
}

interface SubscriptionRecord {
  id: string;
  url: string;
}

/** Dead letters first, then pending retries; with each subscription's receiver URL. */
function useDeliveries() {
  const ctx = useConsole();
  const [records, setRecords] = useState<DeliveryRecord[]>([]);
  const [urls, setUrls] = useState<Record<string, string>>({});
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<ApiError | undefined>();
  const load = useCallback(async () => {
    setLoading(true);
    setProblem(undefined);
    try {
      const get = <T,>(path: string) => request<T>(path, { token: ctx.session.token });
      const [dead, pending, subs] = await Promise.all([
        get<{ records: DeliveryRecord[] }>('/api/v1/deliveries?state=dead&pageSize=200'),
        get<{ records: DeliveryRecord[] }>('/api/v1/deliveries?state=pending&pageSize=200'),
        get<{ records: SubscriptionRecord[] }>('/api/v1/subscriptions'),
      ]);
      setRecords([...dead.records, ...pending.records]);
      setUrls(Object.fromEntries(subs.records.map((s) => [s.id, s.url])));
    } catch (err) {
      setProblem(problemOf(err, ctx));
    } finally {
      setLoading(false);
    }
  }, [ctx.session.token]);
  useEffect(() => {
    void load();
  }, [load, ctx.revision]);
  return { records, urls, loading, problem, reload: load };
}

/** The section of the pending-work tab on webhook deliveries not yet made, with a redeliver button on each dead letter. */
export function DeliveriesSection() {
  const { lang, session } = useConsole();
  const list = useDeliveries();
  const action = useAction();
  const redeliver = async (d: DeliveryRecord) => {
    await action.run(async () => {
      await request(`/api/v1/deliveries/${encodeURIComponent(d.id)}/redeliver`, { token: session.token, method: 'POST' });
      return label(lang, 'redelivered', { id: d.id });
    });
    await list.reload();
  };
  const dead = list.records.filter((d) => d.state === 'dead').length;
  return (
    <section class="card" aria-labelledby="pending-deliveries-title">
      <h2 id="pending-deliveries-title">{label(lang, 'pendingDeliveries')}</h2>
      <p class="hint">{label(lang, 'deliveriesIntro', { dead })}</p>
      {list.records.length ? (
        <RecordsTable
          testid="pending-deliveries"
          columns={['colEvent', 'colReceiver', 'colState', 'colAttempts', 'colLastError', 'colWhen', 'colActions']}
        >
          {list.records.map((d) => (
            <tr key={d.id} data-testid={`delivery-${d.id}`} data-state={d.state}>
              <td class="nowrap">
                <code>{d.notification.type}</code>
              </td>
              <td>
                <code>{list.urls[d.subscriptionId] ?? d.subscriptionId}</code>
              </td>
              <td>
                <Badge value={d.state === 'dead' ? 'failed' : 'pending'} text={valueLabel(lang, `delivery-${d.state}`)} />
              </td>
              <td>{d.attempts}</td>
              <td>{d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : '—')}</td>
              <td>
                {d.state === 'dead' ? label(lang, 'deadAt') : label(lang, 'nextAttempt')}{' '}
                <Instant iso={d.state === 'dead' ? d.deadAt : d.nextAttemptAt} lang={lang} />
              </td>
              <td>
                {d.state === 'dead' ? (
                  <button
                    type="button"
                    class="secondary small nowrap"
                    disabled={action.busy}
                    aria-label={label(lang, 'redeliverLabel', { type: d.notification.type, id: d.id })}
                    onClick={() => void redeliver(d)}
                    data-testid={`redeliver-${d.id}`}
                  >
                    {label(lang, 'redeliver')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </RecordsTable>
      ) : list.loading ? null : (
        <p class="hint">{label(lang, 'nothingPending')}</p>
      )}
      <div class="list-footer">
        <p class="hint" aria-live="polite" data-testid="pending-deliveries-facts">
          {list.loading ? label(lang, 'loading') : ''}
        </p>
        <ProblemAlert problem={list.problem} />
        {action.problem ? (
          <ProblemAlert problem={action.problem} testid="redeliver-problem" />
        ) : (
          <p class="outcome" role="status" data-testid="redeliver-outcome">
            {action.message ?? ''}
          </p>
        )}
        <div class="actions">
          <button
            type="button"
            class="secondary small"
            onClick={() => void list.reload()}
            disabled={list.loading}
            data-testid="pending-deliveries-refresh"
          >
            {label(lang, 'refresh')}
          </button>
        </div>
      </div>
    </section>
  );
}
