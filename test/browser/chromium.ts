/**
 * Headless Chromium for the browser tests (verification page, console, cooperation page): Debian's
 * `chromium` driven by playwright-core, allowed to reach this machine only,
 * and a folder for the screenshots the tests take (`.runtime/screenshots/`).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The Chromium binary: `CHROMIUM_PATH`, default Debian's. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go. */
export const SCREENSHOT_DIR = resolve(process.env.JCC_SCREENSHOT_DIR ?? '.runtime/screenshots');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A browser session of a test: its context, and the errors its pages logged. */
export interface BrowserSession {
  context: BrowserContext;
  /** Console errors and uncaught exceptions (failed resource loads aside). */
  errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh profile; every request off this machine is aborted. */
export async function startBrowser(locale = 'zh-CN'): Promise<BrowserSession> {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'jcc-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    locale,
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1360, height: 900 },
  });
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    errors,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as `<name>.png` in {@link SCREENSHOT_DIR}. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Opens the verification page of the gateway at `url` in Chinese in the session's first page, its error list emptied, once it is ready. */
export async function openVerificationPage(browser: BrowserSession, url: string): Promise<Page> {
  const page = browser.context.pages()[0] ?? (await browser.newPage());
  browser.errors.length = 0;
  await page.goto(`${url}/?lang=zh`);
  await page.waitForSelector('html[data-ready="true"]');
  return page;
}

/** Pastes a document into the verification page, verifies it, and waits for the verdict. */
export async function verifyOnPage(page: Page, text: string): Promise<void> {
  await page.fill('[data-testid=doc-input]', text);
  await page.click('[data-testid=verify-submit]');
  await page.waitForSelector('[data-testid=verify-result][data-state=done]');
}
