/**
 * The verification page (gateway/public/) with documents of a city signing
 * with SM2 (国密): a Weihai gateway started for this test with
 * `JCC_SIGNATURE_SUITE=ed25519+sm2` issues a single-anchored and a
 * batch-anchored document; the page of the gateway under test (another city:
 * JCC_GATEWAY, default Qingdao on 8101) verifies them in headless Chromium.
 * Each signature of the dual-signed document is shown on its own, and a
 * tampered SM2 signature fails the SM2SM3 entry by name while the EdDSA one passes.
 *
 * Environment: JCC_GATEWAY, CHROMIUM_PATH (see chromium.ts), JCC_TEST_SM2_BROWSER_PORT (default 18124).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the test reads answers as loosely typed JSON */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { canonicalJson } from '@jcc/domain';
import { dataDir, issueAnchoredAt, runTag, spawnedOperatorToken, spawnGateway, stopChild, waitReady } from '../gateway/harness.js';
import { GATEWAY_URL, waitForGateway } from '../cli/fixtures.js';
import { openVerificationPage, startBrowser, verifyOnPage, type BrowserSession } from './chromium.js';

const SM2_CITY = 'weihai' as const;
const SM2_PORT = Number(process.env.JCC_TEST_SM2_BROWSER_PORT ?? 18124);
const SM2_URL = `http://127.0.0.1:${SM2_PORT}`;

describe('verification page: documents signed with EdDSA and SM2SM3 (headless Chromium)', function () {
  this.timeout(300_000);
  let browser: BrowserSession;
  let page: Page;
  let child: ChildProcess | undefined;
  let single: { id: string; jws: string };
  let batched: { jws: string; proof: any };

  before(async function () {
    await waitForGateway();
    const store = join(dataDir, `${SM2_CITY}-sm2-browser`);
    child = spawnGateway(SM2_CITY, SM2_PORT, store, { JCC_SIGNATURE_SUITE: 'ed25519+sm2' });
    await waitReady(SM2_URL, 240_000);
    const operator = await spawnedOperatorToken(SM2_CITY, store, { sm2: true });
    const issue = (anchor: 'single' | 'batch') =>
      issueAnchoredAt(SM2_URL, operator, { anchor, summary: `browser sm2 ${anchor} ${runTag}` });
    const [s, b] = await Promise.all([issue('single'), issue('batch')]);
    single = { id: s.id, jws: s.jws };
    batched = { jws: b.jws, proof: b.proof };
    browser = await startBrowser('zh-CN');
  });

  after(async () => {
    await browser?.close();
    await stopChild(child);
  });

  beforeEach(async () => {
    page = await openVerificationPage(browser, GATEWAY_URL);
  });

  afterEach(() => {
    assert.deepEqual(browser.errors, [], 'the page logged errors');
  });

  const verify = (text: string) => verifyOnPage(page, text);

  /** The signature entries the page lists: alg, state and text of each. */
  async function signatureEntries(): Promise<Array<{ alg: string | null; state: string | null; text: string }>> {
    const items = page.locator('[data-testid=check-signature-detail] [data-testid=signatures] li');
    const out = [];
    for (let i = 0; i < (await items.count()); i++) {
      const item = items.nth(i);
      out.push({
        alg: await item.getAttribute('data-alg'),
        state: await item.getAttribute('data-state'),
        text: (await item.textContent()) ?? '',
      });
    }
    return out;
  }

  it("shows each signature of a dual-signed document on its own, both verified, at another city's page", async () => {
    await verify(single.jws);
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-verdict'), 'valid');
    assert.equal(await page.getAttribute('[data-testid=check-signature]', 'data-ok'), 'true');
    const entries = await signatureEntries();
    assert.deepEqual(
      entries.map(({ alg, state }) => ({ alg, state })),
      [
        { alg: 'EdDSA', state: 'passed' },
        { alg: 'SM2SM3', state: 'passed' },
      ],
    );
    assert.match(entries[1]?.text ?? '', /SM2SM3.*weihai\.document-sm2\./);
    assert.match((await page.textContent('[data-testid=issuer-city]')) ?? '', /威海/);
    assert.equal(await page.textContent('[data-testid=document-id]'), single.id);
  });

  it('fails the SM2SM3 signature by name when it is tampered with, the EdDSA one still verifying', async () => {
    const jws = JSON.parse(single.jws);
    const der = Buffer.from(jws.signatures[1].signature, 'base64url');
    der.writeUInt8((der.at(-1) as number) ^ 0x01, der.length - 1); // the last byte of s: still DER, no longer the signature
    jws.signatures[1].signature = der.toString('base64url');
    await verify(canonicalJson(jws));
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-verdict'), 'invalid');
    assert.equal(await page.getAttribute('[data-testid=check-signature]', 'data-ok'), 'false');
    const entries = await signatureEntries();
    assert.deepEqual(
      entries.map(({ alg, state }) => ({ alg, state })),
      [
        { alg: 'EdDSA', state: 'passed' },
        { alg: 'SM2SM3', state: 'failed' },
      ],
    );
    assert.match(entries[1]?.text ?? '', /SM2SM3.*\(mismatch\)/);
    assert.match((await page.textContent('[data-testid=verdict-summary]')) ?? '', /签名 \(signature\)/);
  });

  it('verifies a batch document of that city by both trees and shows its SM3 root', async () => {
    assert.match(batched.proof?.rootSm3 ?? '', /^[0-9a-f]{64}$/, JSON.stringify(batched.proof));
    await verify(JSON.stringify(batched));
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-verdict'), 'valid');
    assert.equal(await page.getAttribute('[data-testid=check-anchored]', 'data-ok'), 'true');
    assert.equal(await page.textContent('[data-testid=anchor-root]'), batched.proof.root);
    assert.equal(await page.textContent('[data-testid=anchor-root-sm3]'), batched.proof.rootSm3);
  });

  it('fails the anchored check when the SM3 audit path of that batch document is changed', async () => {
    const proof = { ...batched.proof, leafHashSm3: 'b'.repeat(64) };
    await verify(JSON.stringify({ ...batched, proof }));
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-verdict'), 'invalid');
    assert.equal(await page.getAttribute('[data-testid=check-anchored]', 'data-ok'), 'false');
    assert.match((await page.textContent('[data-testid=check-anchored-detail]')) ?? '', /SM3/);
  });
});
