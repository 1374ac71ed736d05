/**
 * The 城市信用合作 column (/cooperation/) and GET /api/v1/public/statistics
 * against the real gateways on the real network: the figures move when a
 * city anchors a document, JSON and CSV agree, two gateways at the same block
 * answer the same figures, nothing personal is in them, and the page draws
 * its charts (Chart.js) in Chinese and English. Screenshots go to
 * .runtime/screenshots/.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { GATEWAY_URL, client, issueSample, waitForGateway } from '../cli/fixtures.js';
import { screenshot, startBrowser, type BrowserSession } from './chromium.js';

interface Stats {
  ledger: { blockNumber: number | null };
  totals: { documentsAnchored: number };
  cities: { city: string; documentsAnchored: number }[];
}

const OTHER_GATEWAY = GATEWAY_URL.endsWith(':8103') ? 'http://127.0.0.1:8101' : 'http://127.0.0.1:8103';

async function statistics(base = GATEWAY_URL, accept = 'application/json'): Promise<{ text: string; type: string; status: number }> {
  const res = await fetch(`${base}/api/v1/public/statistics`, { headers: { accept } });
  return { text: await res.text(), type: res.headers.get('content-type') ?? '', status: res.status };
}

describe('城市信用合作 column and public statistics', function () {
  let browser: BrowserSession;
  let page: Page;

  before(async () => {
    await waitForGateway();
    browser = await startBrowser();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(() => {
    assert.deepEqual(browser.errors.splice(0), [], 'the page logged errors');
  });

  it('counts a newly anchored document, labelled with a later block', async () => {
    const before = JSON.parse((await statistics()).text) as Stats;
    const sample = await issueSample(await client('operator'), 'single', 'statistics');
    const deadline = Date.now() + 60_000;
    let after = before;
    while (after.totals.documentsAnchored <= before.totals.documentsAnchored && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      after = JSON.parse((await statistics()).text) as Stats;
    }
    assert.equal(after.totals.documentsAnchored, before.totals.documentsAnchored + 1);
    assert.ok((after.ledger.blockNumber ?? 0) > (before.ledger.blockNumber ?? 0));
    assert.ok(sample.id);
  });

  it('answers CSV for Accept: text/csv and ?format=csv with the same figures as the JSON, without personal data', async () => {
    const json = await statistics();
    assert.match(json.type, /application\/json/);
    const stats = JSON.parse(json.text) as Stats;
    const csv = await statistics(GATEWAY_URL, 'text/csv');
    assert.match(csv.type, /text\/csv/);
    const lines = csv.text.trim().split(/\r\n/);
    assert.equal(lines[0], 'period,city,metric,value,blockNumber');
    const total = lines.find((l) => l.startsWith('total,all,documentsAnchored,'));
    const [, , , value, block] = total!.split(',');
    // the two answers may straddle a block; same block, same figures
    if (Number(block) === stats.ledger.blockNumber) assert.equal(Number(value), stats.totals.documentsAnchored);
    const byQuery = await fetch(`${GATEWAY_URL}/api/v1/public/statistics?format=csv`);
    assert.match(byQuery.headers.get('content-type') ?? '', /text\/csv/);
    for (const text of [json.text, csv.text]) {
      assert.doesNotMatch(text, /ps1-/, 'no pseudonym');
      assert.doesNotMatch(text, /\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b/, 'no USCC');
    }
    const bad = await fetch(`${GATEWAY_URL}/api/v1/public/statistics?format=xml`);
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type') ?? '', /problem\+json/);
  });

  it('is the same at another city gateway for the same block', async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const [a, b] = await Promise.all([statistics(), statistics(OTHER_GATEWAY)]);
      const sa = JSON.parse(a.text) as Stats & { computedBy?: string; computedAt?: string };
      const sb = JSON.parse(b.text) as Stats & { computedBy?: string; computedAt?: string };
      if (sa.ledger.blockNumber === sb.ledger.blockNumber) {
        assert.deepEqual(sa.cities, sb.cities);
        return;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.fail('the two gateways never reported the same block');
  });

  it('shows the figures as charts and a table, labelled with the block height, in Chinese and English', async () => {
    await page.goto(`${GATEWAY_URL}/cooperation?lang=zh`);
    await page.waitForSelector('html[data-ready="true"]');
    assert.match(page.url(), /\/cooperation\/\?lang=zh$/);
    await page.waitForSelector('[data-testid=block-height]');
    assert.match((await page.textContent('[data-testid=block-height]')) ?? '', /数据截至区块 \d+/);
    assert.match((await page.textContent('h1')) ?? '', /城市信用合作/);
    for (const chart of ['documents', 'recognitions', 'entries', 'monthly', 'agencies']) {
      const box = await page.locator(`[data-testid=chart-${chart}]`).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `chart ${chart} drawn`);
    }
    const block = Number(await page.getAttribute('[data-testid=block-height]', 'data-block'));
    const stats = JSON.parse((await statistics()).text) as Stats;
    if (stats.ledger.blockNumber === block) {
      const qingdao = stats.cities.find((c) => c.city === 'qingdao')!;
      assert.equal(Number(await page.textContent('[data-testid=city-qingdao-documents]')), qingdao.documentsAnchored);
    }
    await page.waitForTimeout(300);
    await screenshot(page, 'cooperation-zh');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForSelector('html[lang=en]');
    assert.match((await page.textContent('[data-testid=block-height]')) ?? '', /As of block \d+/);
    await page.waitForTimeout(300);
    await screenshot(page, 'cooperation-en');
    await page.click('[data-testid=lang-toggle]');
  });
});
