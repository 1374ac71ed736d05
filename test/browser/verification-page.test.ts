/**
 * The verification page (gateway/public/) in a real browser: Debian's
 * Chromium, headless, driven by playwright-core, against a running gateway.
 * Sample documents are issued through the gateway's API for each run.
 *
 * Environment: JCC_GATEWAY (default http://127.0.0.1:8101), CHROMIUM_PATH (see chromium.ts).
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openVerificationPage, startBrowser, verifyOnPage, type BrowserSession } from './chromium.js';
import {
  client,
  GATEWAY_URL,
  issueRevokedSample,
  issueSample,
  randomUscc,
  fileAgency,
  tamper,
  waitForGateway,
  type IssuedSample,
} from '../cli/fixtures.js';

describe('verification page (headless Chromium)', function () {
  /** Its `errors`: console errors and uncaught exceptions, other than failed resource loads (the 404 of an unknown agency). */
  let browser: BrowserSession;
  let page: Page;
  let valid: IssuedSample;
  let batched: IssuedSample;
  let revoked: IssuedSample;
  let agencyUscc: string | undefined;

  before(async function () {
    // the browser talks to the gateway on this machine and nothing else
    browser = await startBrowser('zh-CN');
    await waitForGateway();
    const operator = await client('operator');
    [valid, batched, revoked, agencyUscc] = await Promise.all([
      issueSample(operator, 'single', 'browser valid'),
      issueSample(operator, 'batch', 'browser batch'),
      issueRevokedSample(operator),
      fileAgency(operator, '胶东诚信信用评估有限公司 (browser test)'),
    ]);
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    page = await openVerificationPage(browser, GATEWAY_URL);
  });

  afterEach(() => {
    assert.deepEqual(browser.errors, [], 'the page logged errors (a Content-Security-Policy violation shows here)');
  });

  const verify = (text: string) => verifyOnPage(page, text);

  async function checkOk(name: string): Promise<string | null> {
    return page.getAttribute(`[data-testid=check-${name}]`, 'data-ok');
  }

  it('is served with a Content-Security-Policy and runs without inline code', async () => {
    const response = await page.goto(`${GATEWAY_URL}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src[^;]*'self'/, `CSP: ${csp}`);
    assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.locator('script:not([src])').count(), 0);
    assert.equal(await page.locator('[style]').count(), 0);
  });

  it('shows a valid document as valid / 有效, check by check, with issuing city, block and transaction', async () => {
    await verify(valid.jws);
    const verdict = page.locator('[data-testid=verdict]');
    assert.equal(await verdict.getAttribute('data-verdict'), 'valid');
    assert.equal(await verdict.getAttribute('role'), 'status');
    assert.match((await page.textContent('[data-testid=verdict-text]')) ?? '', /有效 \/ valid/);
    for (const name of ['signature', 'issuerKey', 'anchored', 'status', 'notExpired'])
      assert.equal(await checkOk(name), 'true', `check ${name}`);
    assert.equal(await page.locator('[data-testid^=check-][data-check]').count(), 6);
    assert.match((await page.textContent('[data-testid=issuer-city]')) ?? '', /青岛/);
    assert.equal(await page.textContent('[data-testid=document-id]'), valid.id);
    assert.match((await page.textContent('[data-testid=anchor-block]')) ?? '', /^\d+$/);
    assert.match((await page.textContent('[data-testid=anchor-tx]')) ?? '', /^[0-9a-f]{64}$/);
  });

  it('shows a tampered document as invalid / 无效, naming the failing signature check', async () => {
    await verify(tamper(valid.jws));
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-verdict'), 'invalid');
    assert.match((await page.textContent('[data-testid=verdict-text]')) ?? '', /无效 \/ invalid/);
    assert.equal(await checkOk('signature'), 'false');
    assert.match((await page.textContent('[data-testid=verdict-summary]')) ?? '', /签名 \(signature\)/);
    assert.notEqual((await page.textContent('[data-testid=check-signature-detail]'))?.trim(), '');
  });

  it('shows a revoked document as invalid and revoked, with the reason the gateway gives', async () => {
    await verify(revoked.jws);
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-verdict'), 'invalid');
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-revoked'), 'true');
    assert.match((await page.textContent('[data-testid=verdict-text]')) ?? '', /已撤销 \/ revoked/);
    assert.equal(await checkOk('status'), 'false');
    assert.match((await page.textContent('[data-testid=check-status-result]')) ?? '', /已撤销/);
    assert.match((await page.textContent('[data-testid=check-status-detail]')) ?? '', /撤销|revok/i);
    assert.match((await page.textContent('[data-testid=status-notice]')) ?? '', /已被签发城市撤销/);
    assert.equal(await checkOk('signature'), 'true');
  });

  it('verifies a dropped JSON bundle {jws, proof} of a batch-anchored document', async () => {
    assert.ok(batched.bundle.proof, 'the batch-anchored report has a proof');
    await page.setInputFiles('[data-testid=doc-file]', {
      name: 'report.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(batched.bundle)),
    });
    await page.waitForSelector('[data-testid=verify-result][data-state=done]');
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-verdict'), 'valid');
    assert.equal(await page.textContent('[data-testid=file-name]'), 'report.json');
    assert.match((await page.textContent('[data-testid=anchor-mode]')) ?? '', /默克尔批次/);
    assert.equal(await page.textContent('[data-testid=anchor-root]'), batched.bundle.proof.root);
  });

  it('switches every label to English and back, keeping the verdict readable in both', async () => {
    await verify(valid.jws);
    await page.click('[data-testid=lang-toggle]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal((await page.textContent('[data-testid=tab-verify]'))?.trim(), 'Verify a document');
    assert.match((await page.textContent('[data-testid=verdict-text]')) ?? '', /^valid \/ 有效$/);
    assert.match((await page.textContent('[data-testid=check-signature]')) ?? '', /Signature/);
    await page.click('[data-testid=lang-toggle]');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal((await page.textContent('[data-testid=tab-verify]'))?.trim(), '文书核验');
  });

  it('says empty input needs a document, without asking the gateway', async () => {
    await page.click('[data-testid=verify-submit]');
    assert.equal(await page.isVisible('[data-testid=verify-error]'), true);
    assert.equal(await page.getAttribute('[data-testid=verify-error]', 'role'), 'alert');
    assert.equal(await page.getAttribute('[data-testid=verify-result]', 'data-state'), 'empty');
    assert.equal(await page.isVisible('[data-testid=verify-details]'), false);
  });

  describe('agency tab', () => {
    beforeEach(async () => {
      await page.click('[data-testid=tab-agency]');
      assert.equal(await page.getAttribute('[data-testid=tab-agency]', 'aria-selected'), 'true');
      assert.equal(await page.isVisible('[data-testid=panel-agency]'), true);
    });

    it('shows an unknown USCC as not found / 未找到', async () => {
      await page.fill('[data-testid=agency-uscc]', randomUscc());
      await page.click('[data-testid=agency-submit]');
      await page.waitForSelector('[data-testid=agency-result][data-state=done]');
      assert.equal(await page.getAttribute('[data-testid=agency-result]', 'data-kind'), 'notFound');
      assert.match((await page.textContent('[data-testid=agency-verdict-text]')) ?? '', /未找到 \/ not found/);
    });

    it('shows a filed agency: name, filing city, status and alliance membership', async () => {
      assert.ok(agencyUscc, 'the agency was filed');
      await page.fill('[data-testid=agency-uscc]', agencyUscc.toLowerCase());
      await page.click('[data-testid=agency-submit]');
      await page.waitForSelector('[data-testid=agency-result][data-state=done]');
      assert.equal(await page.getAttribute('[data-testid=agency-result]', 'data-kind'), 'found');
      assert.match((await page.textContent('[data-testid=agency-verdict-text]')) ?? '', /已找到 \/ found · 正常/);
      assert.equal(await page.textContent('[data-testid=agency-uscc-value]'), agencyUscc);
      assert.match((await page.textContent('[data-testid=agency-name]')) ?? '', /胶东诚信信用评估有限公司/);
      assert.match((await page.textContent('[data-testid=agency-filing-city]')) ?? '', /青岛/);
      assert.equal(await page.textContent('[data-testid=agency-alliance]'), '是');
    });

    it('refuses a malformed USCC before asking the gateway', async () => {
      await page.fill('[data-testid=agency-uscc]', 'not-a-code');
      await page.click('[data-testid=agency-submit]');
      assert.equal(await page.isVisible('[data-testid=agency-error]'), true);
      assert.equal(await page.getAttribute('[data-testid=agency-uscc]', 'aria-invalid'), 'true');
    });

    it('is reachable from the keyboard (arrow keys move between tabs)', async () => {
      await page.focus('[data-testid=tab-agency]');
      await page.keyboard.press('ArrowLeft');
      assert.equal(await page.getAttribute('[data-testid=tab-verify]', 'aria-selected'), 'true');
      assert.equal(await page.isVisible('[data-testid=panel-verify]'), true);
      assert.equal(await page.isVisible('[data-testid=panel-agency]'), false);
    });
  });
});
