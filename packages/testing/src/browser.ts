import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { inheritedEnvironment } from '@letstalk/stack';

export type { Browser, Page };

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH names another build of it. */
const CHROMIUM = inheritedEnvironment().CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** Where {@link withPage} writes the screenshot of a failed test (`.data/` of the checkout: git ignores it). */
const SCREENSHOTS = fileURLToPath(new URL('../../../.data/test-screenshots/', import.meta.url));
/** How long one Playwright action or wait may take by default: well within a test's timeout, so a stuck step
 * fails inside {@link withPage} (which then takes the screenshot) rather than by the test's timeout. */
const ACTION_TIMEOUT_MS = 10_000;

/**
 * Starts headless Chromium through playwright-core (Playwright's own browser downloads do not work here: the
 * system's Chromium is used). A missing Chromium fails, saying what to install; nothing is skipped. One per test
 * file: start it in `beforeAll` without awaiting it and hand the promise to {@link withPage}, so that each test
 * fails with the reason (a `beforeAll` that throws shows the tests as skipped); close it in `afterAll`:
 *
 *     let browser: Promise<Browser>;
 *     beforeAll(() => void (browser = launchBrowser()).catch(() => {}));
 *     afterAll(async () => (await browser.catch(() => undefined))?.close());
 */
export async function launchBrowser(): Promise<Browser> {
  try {
    await access(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM}, which is missing. Install it with ` +
        '`apt-get update && apt-get install -y chromium` (`.ci/run` does), or set CHROMIUM_PATH to a Chromium build.',
    );
  }
  // Loaded here, not at the top: most suites import @letstalk/testing without ever driving a browser.
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  } catch (error) {
    throw new Error(`Chromium at ${CHROMIUM} did not start (${CHROMIUM_ARGS.join(' ')})`, { cause: error });
  }
}

/**
 * Runs `steps` on a page of a new browser context (its own cookies and storage, closed afterwards). When they
 * fail, a full-page screenshot is written to `.data/test-screenshots/` and the failure message gives its path,
 * with the page's uncaught errors and console errors.
 */
export async function withPage<Result>(
  browser: Browser | Promise<Browser>,
  name: string,
  steps: (page: Page) => Promise<Result>,
  options: BrowserContextOptions = {},
): Promise<Result> {
  const context = await (await browser).newContext({ viewport: { width: 1280, height: 900 }, ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  try {
    return await steps(page);
  } catch (error) {
    const notes = [`page: ${page.url()}`, `screenshot: ${await screenshot(page, name)}`];
    if (problems.length > 0) notes.push(`the page said:\n  ${problems.slice(-10).join('\n  ')}`);
    if (error instanceof Error) {
      error.message += `\n${notes.join('\n')}`;
      throw error;
    }
    throw new Error(`${String(error)}\n${notes.join('\n')}`, { cause: error });
  } finally {
    await context.close();
  }
}

async function screenshot(page: Page, name: string): Promise<string> {
  const path = `${SCREENSHOTS}${name.replace(/[^\w.-]+/g, '-')}-${Date.now()}.png`;
  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path, fullPage: true, timeout: 5_000 });
    return path;
  } catch (error) {
    return `none (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}
