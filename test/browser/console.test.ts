/**
 * The operator console (/console/) in headless Chromium against the real
 * gateways on the real network: sign-in, issuing, revoking and superseding
 * documents, list entries (create, repair, remove, objection and its
 * answer), recognition agreements between two cities' consoles (propose,
 * accept, end) and recognition decisions; a real dead-letter webhook delivery
 * in the pending work, redelivered; in Chinese and English, with times
 * in China Standard Time. Screenshots go to .runtime/screenshots/.
 *
 * Environment: JCC_GATEWAY (default http://127.0.0.1:8101), CHROMIUM_PATH.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { mintToken } from '../../cli/src/lib/token.js';
import { GATEWAY_CITY, GATEWAY_URL, client, issueSample, randomUscc, token, waitForGateway } from '../cli/fixtures.js';
import { screenshot, startBrowser, type BrowserSession } from './chromium.js';

/** A peer city's gateway on the local network, for the two-console recognition flow. */
const PEER_CITY = GATEWAY_CITY === 'yantai' ? 'qingdao' : 'yantai';
const PEER_URL = `http://127.0.0.1:${PEER_CITY === 'yantai' ? 8102 : 8101}`;

describe('operator console (headless Chromium)', function () {
  let browser: BrowserSession;
  let page: Page;

  before(async function () {
    await waitForGateway();
    browser = await startBrowser();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(() => {
    assert.deepEqual(browser.errors.splice(0), [], 'the console logged errors (a Content-Security-Policy violation shows here)');
  });

  async function open(url: string, target: Page = page): Promise<void> {
    await target.goto(url);
    await target.waitForSelector('html[data-ready="true"]');
  }

  async function signIn(target: Page, bearer: string): Promise<void> {
    await target.fill('[data-testid=sign-in-token]', bearer);
    await target.click('[data-testid=sign-in-submit]');
    await target.waitForSelector('[data-testid=session]');
  }

  /** Clicks a list's refresh until `selector` is there (the ledger and its index take a moment). */
  async function refreshUntil(target: Page, list: string, selector: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await target.locator(selector).count()) > 0) return;
      if (Date.now() > deadline) throw new Error(`${selector} did not appear in ${list} within ${timeoutMs} ms`);
      await target.click(`[data-testid=${list}-refresh]`);
      await target.waitForTimeout(700);
    }
  }

  /** Waits until the text of `selector` matches. */
  async function waitForText(target: Page, selector: string, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text =
        (await target
          .locator(selector)
          .textContent({ timeout: timeoutMs })
          .catch(() => '')) ?? '';
      if (pattern.test(text)) return;
      if (Date.now() > deadline) throw new Error(`${selector} says "${text}", not ${pattern}`);
      await target.waitForTimeout(200);
    }
  }

  it('is served with a Content-Security-Policy, without inline code, and asks for a token first', async () => {
    const response = await page.goto(`${GATEWAY_URL}/console/?lang=zh`);
    assert.equal(response?.status(), 200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src[^;]*'self'/);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.locator('script:not([src])').count(), 0);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.match((await page.textContent('h1')) ?? '', /信用中心操作台/);
    // the token field is labelled
    assert.equal(await page.locator('label[for=sign-in-token]').count(), 1);
    await screenshot(page, 'console-01-sign-in');
  });

  it('refuses a token of another role or another city, saying why', async () => {
    await open(`${GATEWAY_URL}/console/?lang=zh`);
    await page.fill('[data-testid=sign-in-token]', await token('regulator'));
    await page.click('[data-testid=sign-in-submit]');
    await page.waitForSelector('#sign-in-token-error');
    assert.match((await page.textContent('#sign-in-token-error')) ?? '', /操作员/);
    await page.fill('[data-testid=sign-in-token]', await mintToken({ city: PEER_CITY, role: 'operator', subject: 'peer@test' }));
    await page.click('[data-testid=sign-in-submit]');
    await waitForText(page, '#sign-in-token-error', /请在本市网关登录/);
    await page.fill('[data-testid=sign-in-token]', 'not-a-token');
    await page.click('[data-testid=sign-in-submit]');
    await waitForText(page, '#sign-in-token-error', /三段式/);
    assert.equal(await page.locator('[data-testid=session]').count(), 0);
  });

  it('signs an operator in, shows the pending work, and moves between tabs with the arrow keys', async () => {
    await open(`${GATEWAY_URL}/console/?lang=zh`);
    await signIn(page, await token('operator'));
    assert.match((await page.textContent('[data-testid=session]')) ?? '', /信用中心/);
    await page.waitForSelector('[data-testid=panel-pending]');
    await page.focus('[data-testid=tab-pending]');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[data-testid=panel-documents]');
    assert.equal(await page.locator('[data-testid=tab-documents]').evaluate((el) => el.ownerDocument.activeElement === el), true);
    await page.keyboard.press('End');
    await page.waitForSelector('[data-testid=panel-recognition]');
    await page.keyboard.press('Home');
    await page.waitForSelector('[data-testid=panel-pending]');
    // a reload keeps the session (sessionStorage) and the tab (#hash)
    await page.click('[data-testid=tab-documents]');
    await page.reload();
    await page.waitForSelector('[data-testid=panel-documents]');
  });

  it('issues a document, then revokes one and supersedes another', async () => {
    await open(`${GATEWAY_URL}/console/?lang=zh#documents`);
    const issue = async (): Promise<string> => {
      await page.fill('[data-testid=issue-subject-id]', randomUscc());
      await page.click('[data-testid=issue-submit]');
      await waitForText(page, '[data-testid=issue-outcome]', /已签发文书/);
      const text = (await page.textContent('[data-testid=issue-outcome]')) ?? '';
      const id = /已签发文书 (\S+)，/.exec(text)?.[1];
      assert.ok(id, text);
      return id;
    };
    // a malformed USCC is refused field by field, and nothing is issued
    await page.fill('[data-testid=issue-subject-id]', '91370200MA3C0000X0');
    await page.click('[data-testid=issue-submit]');
    await page.waitForSelector('[data-testid=issue-problem]');
    assert.match((await page.textContent('[data-testid=issue-problem]')) ?? '', /USCC/);
    const first = await issue();
    const second = await issue();
    const third = await issue();
    await refreshUntil(page, 'documents', `[data-testid="document-${third}"][data-state=anchored]`);
    await refreshUntil(page, 'documents', `[data-testid="document-${first}"][data-state=anchored]`);
    await screenshot(page, 'console-02-documents');

    await page.click(`[data-testid="revoke-${first}"]`);
    await page.waitForSelector('[data-testid=revoke-dialog][open]');
    await screenshot(page, 'console-03-revoke-dialog');
    await page.fill('[data-testid=revoke-reason]', '签发有误，予以撤销（浏览器测试）');
    await page.click('[data-testid=revoke-confirm]');
    await page.waitForSelector('[data-testid=revoke-dialog]', { state: 'detached' });
    assert.match((await page.textContent('[data-testid=documents-notice]')) ?? '', new RegExp(`${first} 已撤销`));
    await refreshUntil(page, 'documents', `[data-testid="document-${first}"][data-state=revoked]`);

    await refreshUntil(page, 'documents', `[data-testid="document-${second}"][data-state=anchored]`);
    await page.click(`[data-testid="supersede-${second}"]`);
    await page.fill('[data-testid=supersede-replacement]', third);
    await page.fill('[data-testid=supersede-reason]', '信息更新，以新报告替代');
    await page.click('[data-testid=supersede-confirm]');
    await page.waitForSelector('[data-testid=supersede-dialog]', { state: 'detached' });
    await refreshUntil(page, 'documents', `[data-testid="document-${second}"][data-state=superseded]`);

    // what the console did is what the gateway reports
    const operator = await client('operator');
    const revoked = await operator.request<{ state: string }>('GET', `/api/v1/reports/${first}`, { auth: 'required' });
    assert.equal(revoked.body.state, 'revoked');
  });

  it('puts subjects on lists, repairs and removes entries, registers an objection and answers it from the pending work', async () => {
    await open(`${GATEWAY_URL}/console/?lang=zh#entries`);
    const create = async (listType: string): Promise<string> => {
      await page.fill('[data-testid=entry-subject-id]', randomUscc());
      await page.selectOption('[data-testid=entry-list-type]', listType);
      await page.fill('[data-testid=entry-legal-basis]', '《山东省社会信用条例》第三十条（浏览器测试）');
      await page.fill('[data-testid=entry-measures]', '限制参与政府采购\n加强日常监管');
      await page.click('[data-testid=entry-submit]');
      await waitForText(page, '[data-testid=entry-outcome]', /已列入名单/);
      const id = /已列入名单：(\S+)（/.exec((await page.textContent('[data-testid=entry-outcome]')) ?? '')?.[1];
      assert.ok(id);
      await refreshUntil(page, 'entries', `[data-testid="entry-${id}"][data-status=listed]`);
      return id;
    };
    const repaired = await create('black');
    const removed = await create('keySupervision');
    const objected = await create('black');
    await screenshot(page, 'console-04-entries');

    await page.click(`[data-testid="repair-${repaired}"]`);
    await page.fill('[data-testid=entry-repair-note]', '已履行行政处罚义务并完成信用承诺，准予信用修复');
    await page.click('[data-testid=entry-repair-confirm]');
    await page.waitForSelector('[data-testid=entry-repair-dialog]', { state: 'detached' });
    await refreshUntil(page, 'entries', `[data-testid="entry-${repaired}"][data-status=repaired]`);

    await page.click(`[data-testid="remove-${removed}"]`);
    await page.selectOption('[data-testid=removal-reason]', 'courtDecision');
    await page.fill('[data-testid=entry-remove-note]', '依据法院生效判决移出');
    await page.click('[data-testid=entry-remove-confirm]');
    await page.waitForSelector('[data-testid=entry-remove-dialog]', { state: 'detached' });
    await refreshUntil(page, 'entries', `[data-testid="entry-${removed}"][data-status=courtDecision]`);

    await page.click(`[data-testid="object-${objected}"]`);
    await page.fill('[data-testid=entry-objection-note]', '主体称处罚已撤销，申请核查');
    await page.click('[data-testid=entry-objection-confirm]');
    await page.waitForSelector('[data-testid=entry-objection-dialog]', { state: 'detached' });
    const objectionId = /已登记异议 (\S+)。/.exec((await page.textContent('[data-testid=entries-notice]')) ?? '')?.[1];
    assert.ok(objectionId);

    await page.click('[data-testid=tab-pending]');
    await refreshUntil(page, 'pending-objections', `[data-testid="objection-${objectionId}"][data-state=pending]`);
    await screenshot(page, 'console-05-pending');
    await page.click(`[data-testid="answer-${objectionId}"]`);
    await page.waitForSelector('[data-testid=answer-dialog][open]');
    await page.check('input[name=answer-outcome][value=rejected]');
    await page.fill('[data-testid=answer-note]', '经核查处罚决定仍有效，异议不成立');
    await screenshot(page, 'console-06-answer-dialog');
    await page.click('[data-testid=answer-confirm]');
    await page.waitForSelector('[data-testid=answer-dialog]', { state: 'detached' });
    assert.match((await page.textContent('[data-testid=pending-notice]')) ?? '', /不予支持/);
    await page.click('[data-testid=tab-objections]');
    await page.selectOption('[data-testid=objections-state]', 'answered');
    await refreshUntil(page, 'objections', `[data-testid="objection-${objectionId}"][data-state=rejected]`);
  });

  it('proposes an agreement that the other city accepts in its own console, records a recognition, and ends the agreement', async () => {
    const peer = await browser.newPage();
    await open(`${GATEWAY_URL}/console/?lang=zh#recognition`);
    await page.selectOption('[data-testid=propose-counterparty]', PEER_CITY);
    await page.check('input[name=propose-doc-types][value=evaluation]');
    await page.click('[data-testid=propose-submit]');
    await waitForText(page, '[data-testid=propose-outcome]', /已向/);
    const agreementId = /协议 (\S+)。/.exec((await page.textContent('[data-testid=propose-outcome]')) ?? '')?.[1];
    assert.ok(agreementId);
    await refreshUntil(page, 'agreements', `[data-testid="agreement-${agreementId}"][data-state=proposed]`);

    // the other city's operator sees it as pending work and accepts it
    await open(`${PEER_URL}/console/?lang=zh`, peer);
    await signIn(peer, await mintToken({ city: PEER_CITY, role: 'operator', subject: `console-test@${PEER_CITY}` }));
    await refreshUntil(peer, 'pending-objections', `[data-testid="agreement-${agreementId}"]`);
    await peer.click(`[data-testid="accept-${agreementId}"]`);
    await waitForText(peer, '[data-testid=pending-proposals-accept-outcome]', /已接受协议/);

    // and records its decision on a document of ours, once it is on the ledger (the ledger refuses
    // a recognition of a document it does not hold)
    const operator = await client('operator');
    const sample = await issueSample(operator, 'single', 'recognised in the console');
    await peer.click('[data-testid=tab-recognition]');
    await peer.selectOption('[data-testid=record-issuer]', GATEWAY_CITY);
    await peer.fill('[data-testid=record-document]', sample.id);
    await peer.fill('[data-testid=record-reason]', '依据互认协议予以认可');
    await peer.fill('[data-testid=record-agreement]', agreementId);
    await peer.click('[data-testid=record-submit]');
    await waitForText(peer, '[data-testid=record-outcome]', /已记录/);
    await screenshot(peer, 'console-07-peer-recognition');
    await peer.close();

    await page.reload();
    await page.waitForSelector('[data-testid=panel-recognition]');
    await refreshUntil(page, 'agreements', `[data-testid="agreement-${agreementId}"][data-state=active]`);
    await refreshUntil(page, 'recognitions', `[data-testid=recognitions-table] td code:text("${sample.id}")`);
    await screenshot(page, 'console-08-recognition');
    await page.click(`[data-testid="end-${agreementId}"]`);
    await page.fill('[data-testid=end-reason]', '合作备忘录到期，双方协商终止');
    await page.click('[data-testid=end-confirm]');
    await page.waitForSelector('[data-testid=end-dialog]', { state: 'detached' });
    await refreshUntil(page, 'agreements', `[data-testid="agreement-${agreementId}"][data-state=ended]`);
  });

  it('lists a real dead-letter delivery in the pending work and redelivers it once the receiver listens', async () => {
    // a loopback port nothing listens on (the gateways of scripts/test.sh allow loopback receivers, three attempts)
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((done) => probe.close(done));
    const receiverUrl = `http://127.0.0.1:${port}/hook`;
    const operator = await token('operator');
    const api = async (base: string, path: string, bearer: string, body?: unknown, method = body ? 'POST' : 'GET') => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as { id?: string; records?: { id: string }[] } };
    };
    const sub = await api(GATEWAY_URL, '/api/v1/subscriptions', operator, { url: receiverUrl, events: ['agreement.proposed'] });
    assert.equal(
      sub.status,
      201,
      `subscribing a loopback receiver: ${JSON.stringify(sub.body)} (start the gateways with JCC_NOTIFY_ALLOW_LOOPBACK=true, as scripts/test.sh does)`,
    );
    const subscriptionId = String(sub.body.id);
    let receiver: Server | undefined;
    try {
      // the other city proposes an agreement to this one: this city is notified (agreement.proposed)
      const now = Date.now();
      const proposed = await api(
        PEER_URL,
        '/api/v1/agreements',
        await mintToken({ city: PEER_CITY, role: 'operator', subject: `console-test@${PEER_CITY}` }),
        {
          counterparty: GATEWAY_CITY,
          docTypes: ['evaluation'],
          validFrom: new Date(now).toISOString(),
          validTo: new Date(now + 365 * 86_400_000).toISOString(),
        },
      );
      assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
      let deliveryId = '';
      const deadline = Date.now() + 90_000;
      while (!deliveryId) {
        const listed = await api(GATEWAY_URL, `/api/v1/deliveries?subscription=${subscriptionId}&state=dead`, operator);
        deliveryId = String(listed.body.records?.[0]?.id ?? '');
        if (!deliveryId && Date.now() > deadline) throw new Error('no dead letter within 90 s');
        if (!deliveryId) await page.waitForTimeout(500);
      }

      await open(`${GATEWAY_URL}/console/?lang=zh`);
      await refreshUntil(page, 'pending-deliveries', `[data-testid="delivery-${deliveryId}"][data-state=dead]`);
      const row = page.locator(`[data-testid="delivery-${deliveryId}"]`);
      const text = (await row.textContent()) ?? '';
      assert.match(text, /agreement\.proposed/);
      assert.ok(text.includes(receiverUrl), text);
      assert.match(text, /死信/);
      assert.match(text, /ECONNREFUSED/);
      assert.match(text, /放弃于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 北京时间/);
      assert.equal(await row.locator('td').nth(3).textContent(), '3');
      const button = page.locator(`[data-testid="redeliver-${deliveryId}"]`);
      assert.match((await button.getAttribute('aria-label')) ?? '', /重新投递 agreement\.proposed 通知/);
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, 'console-08b-dead-letter');

      // the receiver now listens: redelivery reaches it, and the delivery leaves the list
      const received: string[] = [];
      receiver = createServer((req, res) => {
        received.push(String(req.headers['webhook-id'] ?? ''));
        req.resume();
        res.writeHead(204).end();
      });
      await new Promise<void>((done) => receiver!.listen(port, '127.0.0.1', done));
      await button.click();
      await waitForText(page, '[data-testid=redeliver-outcome]', new RegExp(`已重新排队投递 ${deliveryId}`));
      const gone = Date.now() + 30_000;
      while ((await page.locator(`[data-testid="delivery-${deliveryId}"]`).count()) > 0) {
        if (Date.now() > gone) throw new Error('the redelivered delivery is still listed after 30 s');
        await page.click('[data-testid=pending-deliveries-refresh]');
        await page.waitForTimeout(500);
      }
      assert.equal(received.length, 1, 'the receiver got the notification once');
      assert.match(received[0] ?? '', /^ntf_/);
    } finally {
      receiver?.close();
      await api(GATEWAY_URL, `/api/v1/subscriptions/${subscriptionId}`, operator, undefined, 'DELETE');
    }
  });

  it('speaks English on request and shows times in China Standard Time, with the UTC instant one click away', async () => {
    await open(`${GATEWAY_URL}/console/?lang=zh#documents`);
    await page.click('[data-testid=lang-toggle]');
    await page.waitForSelector('html[lang=en]');
    assert.match((await page.textContent('h1')) ?? '', /Credit centre console/);
    assert.match((await page.textContent('[data-testid=tab-documents]')) ?? '', /Documents/);
    await refreshUntil(page, 'documents', '[data-testid=documents-table] tbody tr');
    const instant = page.locator('[data-testid=documents-table] tbody tr .instant').first();
    const shown = (await instant.textContent()) ?? '';
    assert.match(shown, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} CST \(UTC\+8\)$/);
    const utc = (await instant.getAttribute('title')) ?? '';
    assert.match(utc, /Z$/);
    // the shown time is the UTC instant plus eight hours
    assert.equal(shown.slice(0, 19), new Date(Date.parse(utc) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' '));
    await instant.click();
    assert.equal(await instant.textContent(), `${utc} (UTC)`);
    await screenshot(page, 'console-09-english');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForSelector('html[lang=zh-CN]');
  });

  it('signs out and forgets the token', async () => {
    await open(`${GATEWAY_URL}/console/`);
    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('[data-testid=sign-in-form]');
    await page.reload();
    await page.waitForSelector('[data-testid=sign-in-form]');
  });
});
