/**
 * The 城市信用合作 (city credit cooperation) column at `/cooperation/`: the
 * five cities' figures from `GET /api/v1/public/statistics`, as charts
 * (Chart.js) and as tables, labelled with the block they reflect. Public: no
 * token, and the figures are counts only.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request } from '../shared/api.js';
import { CITY_LIST, applyLanguage, cityName, fill, initialLanguage, type Lang } from '../shared/i18n.js';
import { Instant } from '../shared/time.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

type ListType = 'red' | 'black' | 'keySupervision';
type EntryStatus = 'listed' | 'expired' | 'repaired' | 'objectionUpheld' | 'courtDecision';

interface Figures {
  documentsAnchored: number;
  documentsAnchoredSingly: number;
  documentsAnchoredInBatches: number;
  recognitionsGiven: number;
  recognitionsGivenAccepted: number;
  recognitionsReceived: number;
  recognitionsReceivedAccepted: number;
  agreementsActive: number;
  listEntries: Record<ListType, Record<EntryStatus, number>>;
  agencies: number;
  allianceMembers: number;
  agenciesSuspended: number;
  supervisionActions: number;
}

interface Statistics {
  ledger: { blockNumber: number | null; caughtUp: boolean };
  computedBy: string;
  computedAt: string;
  totals: Figures;
  cities: (Figures & { city: string })[];
  months: {
    month: string;
    city: string;
    documentsAnchored: number;
    recognitionsGiven: number;
    listEntriesCreated: number;
    supervisionActions: number;
  }[];
}

const M = {
  zh: {
    skip: '跳到正文',
    title: '胶东半岛信用链 · 城市信用合作',
    subtitle: '青岛、烟台、威海、潍坊、日照五市信用一体化的链上数据',
    langToggle: 'English',
    langHint: '切换界面语言',
    intro: '以下数字由本网关依据区块链账本的索引计算，只含计数，不含任何主体、假名或文书内容。',
    asOf: '数据截至区块 {block}',
    computedAt: '计算时间',
    catchingUp: '索引尚在追赶账本，数字可能偏少。',
    loading: '正在加载…',
    failed: '无法获取统计数据：',
    documentsAnchored: '上链文书',
    recognitionsGiven: '作出的互认决定',
    recognitionsReceived: '获得的互认决定',
    agreementsActive: '生效中的互认协议',
    listEntriesListed: '在列的名单记录',
    allianceMembers: '联盟成员机构',
    supervisionActions: '协同监管措施',
    chartDocuments: '各市上链文书',
    chartRecognitions: '各市互认：作出与获得',
    chartEntries: '各市联合奖惩名单（按类型，在列）',
    chartMonthly: '按月上链文书',
    chartAgencies: '各市信用服务机构',
    single: '单独锚定',
    batch: '批量锚定',
    given: '作出',
    received: '获得',
    agencies: '备案机构',
    members: '联盟成员（正常）',
    suspended: '暂停',
    red: '红名单',
    black: '黑名单',
    keySupervision: '重点关注',
    tableTitle: '各市明细',
    colCity: '城市',
    colEntries: '名单（在列 / 已移出）',
    downloads: '下载',
    csv: 'CSV 数据',
    json: 'JSON 数据',
    footer: '数据来自胶东半岛信用链账本（Hyperledger Fabric），各城市网关计算结果一致。',
    verifyLink: '文书核验',
    consoleLink: '信用中心操作台',
    apiLink: 'API（OpenAPI 文档）',
    chartTableNote: '图表数据同见下表。',
  },
  en: {
    skip: 'Skip to content',
    title: 'Jiaodong Credit Chain · City credit cooperation',
    subtitle: 'The ledger figures of credit integration across Qingdao, Yantai, Weihai, Weifang and Rizhao',
    langToggle: '中文',
    langHint: 'Switch the interface language',
    intro: 'Computed by this gateway from its index of the ledger. Counts only: no subject, pseudonym or document content.',
    asOf: 'As of block {block}',
    computedAt: 'Computed',
    catchingUp: 'The index is still catching up with the ledger; figures may be low.',
    loading: 'Loading…',
    failed: 'The figures could not be fetched: ',
    documentsAnchored: 'Documents anchored',
    recognitionsGiven: 'Recognition decisions made',
    recognitionsReceived: 'Recognition decisions received',
    agreementsActive: 'Agreements in force',
    listEntriesListed: 'List entries in force',
    allianceMembers: 'Alliance member agencies',
    supervisionActions: 'Supervision actions',
    chartDocuments: 'Documents anchored, by city',
    chartRecognitions: 'Recognition: made and received, by city',
    chartEntries: 'Joint reward/punishment list entries in force, by type',
    chartMonthly: 'Documents anchored per month',
    chartAgencies: 'Credit-service agencies, by city',
    single: 'alone',
    batch: 'in batches',
    given: 'made',
    received: 'received',
    agencies: 'filed',
    members: 'alliance members (in good standing)',
    suspended: 'suspended',
    red: 'red list',
    black: 'black list',
    keySupervision: 'key supervision',
    tableTitle: 'By city',
    colCity: 'City',
    colEntries: 'List entries (in force / removed)',
    downloads: 'Download',
    csv: 'CSV',
    json: 'JSON',
    footer: 'Figures from the Jiaodong Credit Chain ledger (Hyperledger Fabric); every city gateway computes the same figures.',
    verifyLink: 'Document verification',
    consoleLink: 'Credit centre console',
    apiLink: 'API (OpenAPI document)',
    chartTableNote: 'The charts’ figures are also in the table below.',
  },
};
type Key = keyof (typeof M)['zh'];

const COLOURS = ['#0b5cab', '#2f9e74', '#d08c1f', '#b83b5e', '#6a4fb3'];

function listed(f: Figures, t?: ListType): number {
  const types: ListType[] = t ? [t] : ['red', 'black', 'keySupervision'];
  return types.reduce((n, type) => n + f.listEntries[type].listed, 0);
}

function removed(f: Figures): number {
  return (['red', 'black', 'keySupervision'] as ListType[]).reduce(
    (n, t) => n + Object.entries(f.listEntries[t]).reduce((m, [s, v]) => (s === 'listed' ? m : m + v), 0),
    0,
  );
}

/** A Chart.js chart on a canvas, redrawn when its configuration changes. */
function ChartCanvas({ config, label, testid }: { config: ConstructorParameters<typeof Chart>[1]; label: string; testid: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = new Chart(ref.current, config);
    return () => chart.destroy();
  }, [JSON.stringify(config.data), label]);
  return (
    <div class="chart-box">
      <canvas ref={ref} role="img" aria-label={label} data-testid={testid} />
    </div>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLanguage());
  const [stats, setStats] = useState<Statistics | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const t = (key: Key, params?: Record<string, string | number>) => fill(M[lang][key], params);
  useEffect(() => applyLanguage(lang, `${M[lang].title} / ${M[lang === 'zh' ? 'en' : 'zh'].title}`), [lang]);
  useEffect(() => {
    request<Statistics>('/api/v1/public/statistics')
      .then(setStats)
      .catch((err: unknown) => setProblem(err instanceof ApiError ? `${err.title}${err.detail ? ` — ${err.detail}` : ''}` : String(err)))
      .finally(() => {
        document.documentElement.dataset.ready = 'true';
      });
  }, []);
  const names = CITY_LIST.map((c) => cityName(c.id, lang));
  const byCity = (pick: (f: Figures) => number) => CITY_LIST.map((c) => pick(stats!.cities.find((x) => x.city === c.id)!));
  const common = { responsive: true, maintainAspectRatio: false, animation: false as const };
  const monthsList = stats ? [...new Set(stats.months.map((m) => m.month))] : [];
  return (
    <>
      <a class="skip-link" href="#main">
        {t('skip')}
      </a>
      <header class="site-header">
        <div class="brand">
          <p class="brand-mark" aria-hidden="true">
            信
          </p>
          <div>
            <h1>{t('title')}</h1>
            <p class="subtitle">{t('subtitle')}</p>
          </div>
        </div>
        <button
          type="button"
          class="lang-toggle"
          data-testid="lang-toggle"
          lang={lang === 'zh' ? 'en' : 'zh-CN'}
          aria-label={`${M[lang].langToggle} — ${t('langHint')}`}
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {M[lang].langToggle}
        </button>
      </header>
      <main id="main" tabIndex={-1} data-testid="cooperation">
        <p class="intro">{t('intro')}</p>
        {problem ? (
          <p class="problem" role="alert">
            {t('failed')}
            {problem}
          </p>
        ) : null}
        {!stats ? (
          problem ? null : (
            <p class="hint">{t('loading')}</p>
          )
        ) : (
          <>
            <p class="height-note" data-testid="block-height" data-block={stats.ledger.blockNumber ?? ''}>
              <strong>{t('asOf', { block: stats.ledger.blockNumber ?? '—' })}</strong> · {t('computedAt')}{' '}
              <Instant iso={stats.computedAt} lang={lang} /> · {cityName(stats.computedBy, lang)}
              {stats.ledger.caughtUp ? '' : ` · ${t('catchingUp')}`}
            </p>
            <div class="summary-tiles" data-testid="totals">
              {(
                [
                  ['documentsAnchored', stats.totals.documentsAnchored],
                  ['recognitionsGiven', stats.totals.recognitionsGiven],
                  ['agreementsActive', stats.totals.agreementsActive],
                  ['listEntriesListed', listed(stats.totals)],
                  ['allianceMembers', stats.totals.allianceMembers],
                  ['supervisionActions', stats.totals.supervisionActions],
                ] as [Key, number][]
              ).map(([key, value]) => (
                <div class="tile" key={key} data-testid={`total-${key}`}>
                  <span class="tile-number">{value}</span>
                  <span class="tile-label">{t(key)}</span>
                </div>
              ))}
            </div>
            <p class="hint">{t('chartTableNote')}</p>
            <div class="chart-grid">
              <section class="card" aria-labelledby="chart-documents">
                <h2 id="chart-documents">{t('chartDocuments')}</h2>
                <ChartCanvas
                  testid="chart-documents"
                  label={t('chartDocuments')}
                  config={{
                    type: 'bar',
                    data: {
                      labels: names,
                      datasets: [
                        { label: t('single'), data: byCity((f) => f.documentsAnchoredSingly), backgroundColor: COLOURS[0] },
                        { label: t('batch'), data: byCity((f) => f.documentsAnchoredInBatches), backgroundColor: COLOURS[1] },
                      ],
                    },
                    options: {
                      ...common,
                      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
                    },
                  }}
                />
              </section>
              <section class="card" aria-labelledby="chart-recognitions">
                <h2 id="chart-recognitions">{t('chartRecognitions')}</h2>
                <ChartCanvas
                  testid="chart-recognitions"
                  label={t('chartRecognitions')}
                  config={{
                    type: 'bar',
                    data: {
                      labels: names,
                      datasets: [
                        { label: t('given'), data: byCity((f) => f.recognitionsGiven), backgroundColor: COLOURS[0] },
                        { label: t('received'), data: byCity((f) => f.recognitionsReceived), backgroundColor: COLOURS[2] },
                      ],
                    },
                    options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
                  }}
                />
              </section>
              <section class="card" aria-labelledby="chart-entries">
                <h2 id="chart-entries">{t('chartEntries')}</h2>
                <ChartCanvas
                  testid="chart-entries"
                  label={t('chartEntries')}
                  config={{
                    type: 'bar',
                    data: {
                      labels: names,
                      datasets: (['red', 'black', 'keySupervision'] as ListType[]).map((type, i) => ({
                        label: t(type),
                        data: byCity((f) => listed(f, type)),
                        backgroundColor: ['#c8102e', '#333b47', '#d08c1f'][i],
                      })),
                    },
                    options: {
                      ...common,
                      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
                    },
                  }}
                />
              </section>
              <section class="card" aria-labelledby="chart-monthly">
                <h2 id="chart-monthly">{t('chartMonthly')}</h2>
                <ChartCanvas
                  testid="chart-monthly"
                  label={t('chartMonthly')}
                  config={{
                    type: monthsList.length > 1 ? 'line' : 'bar',
                    data: {
                      labels: monthsList,
                      datasets: CITY_LIST.map((c, i) => ({
                        label: cityName(c.id, lang),
                        data: monthsList.map((m) => stats.months.find((x) => x.month === m && x.city === c.id)?.documentsAnchored ?? 0),
                        borderColor: COLOURS[i],
                        backgroundColor: COLOURS[i],
                      })),
                    },
                    options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
                  }}
                />
              </section>
              <section class="card" aria-labelledby="chart-agencies">
                <h2 id="chart-agencies">{t('chartAgencies')}</h2>
                <ChartCanvas
                  testid="chart-agencies"
                  label={t('chartAgencies')}
                  config={{
                    type: 'bar',
                    data: {
                      labels: names,
                      datasets: [
                        { label: t('agencies'), data: byCity((f) => f.agencies), backgroundColor: COLOURS[0] },
                        { label: t('members'), data: byCity((f) => f.allianceMembers), backgroundColor: COLOURS[1] },
                        { label: t('suspended'), data: byCity((f) => f.agenciesSuspended), backgroundColor: COLOURS[3] },
                      ],
                    },
                    options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
                  }}
                />
              </section>
            </div>
            <section class="card" aria-labelledby="table-title">
              <h2 id="table-title">{t('tableTitle')}</h2>
              <div class="table-scroll">
                <table class="records" data-testid="city-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('colCity')}</th>
                      <th scope="col">{t('documentsAnchored')}</th>
                      <th scope="col">{t('recognitionsGiven')}</th>
                      <th scope="col">{t('recognitionsReceived')}</th>
                      <th scope="col">{t('agreementsActive')}</th>
                      <th scope="col">{t('colEntries')}</th>
                      <th scope="col">{t('agencies')}</th>
                      <th scope="col">{t('allianceMembers')}</th>
                      <th scope="col">{t('supervisionActions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.cities.map((c) => (
                      <tr key={c.city} data-testid={`city-${c.city}`}>
                        <th scope="row">{cityName(c.city, lang)}</th>
                        <td data-testid={`city-${c.city}-documents`}>{c.documentsAnchored}</td>
                        <td>{c.recognitionsGiven}</td>
                        <td>{c.recognitionsReceived}</td>
                        <td>{c.agreementsActive}</td>
                        <td>
                          {listed(c)} / {removed(c)}
                        </td>
                        <td>{c.agencies}</td>
                        <td>{c.allianceMembers}</td>
                        <td>{c.supervisionActions}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p class="downloads">
                {t('downloads')}:{' '}
                <a href="/api/v1/public/statistics?format=csv" data-testid="download-csv">
                  {t('csv')}
                </a>
                <a href="/api/v1/public/statistics?format=json">{t('json')}</a>
              </p>
            </section>
          </>
        )}
      </main>
      <footer class="site-footer">
        <p>{t('footer')}</p>
        <p>
          <a href="/">{t('verifyLink')}</a> · <a href="/console/">{t('consoleLink')}</a> · <a href="/api/v1/openapi.json">{t('apiLink')}</a>
        </p>
      </footer>
    </>
  );
}

render(<App />, document.getElementById('app')!);
