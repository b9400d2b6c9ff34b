import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { StartDirectChatDocument } from '@letstalk/sdk';
import { launchBrowser, withPage, type Browser, type Page } from '@letstalk/testing';
import { say, signUp, WAIT_MS } from './helpers.ts';

/** How soon a refused subscription must say so (graphql-ws's default retries of a 4403 take 30 s or more). */
const REFUSAL_MS = 8_000;

/**
 * Opens the explorer (in Chromium, from the running gateway) with `query` in its editor: GraphiQL reads it from
 * `?query=`. Gives the requests the page made anywhere but the gateway (it must work offline).
 */
async function openExplorer(page: Page, query: string) {
  const url = new URL(inject('gatewayUrl'));
  const elsewhere: string[] = [];
  page.on('request', (request) => {
    const target = new URL(request.url());
    if (target.origin !== url.origin && !['blob:', 'data:'].includes(target.protocol)) elsewhere.push(target.href);
  });
  url.searchParams.set('query', query);
  await page.goto(url.href);
  await page.locator('.graphiql-execute-button').waitFor();
  return elsewhere;
}

/** Types `headers` into the Headers tab, as a person pastes a token there. */
async function typeHeaders(page: Page, headers: Record<string, string>) {
  await page.locator('button[data-name="headers"]').click();
  const editor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)');
  await editor.click();
  await page.keyboard.insertText(JSON.stringify(headers));
  await expect.poll(() => textIn(editor)).toContain(Object.keys(headers)[0]);
}

const run = (page: Page) => page.locator('.graphiql-execute-button').click();

/** The text of an editor (Monaco draws spaces as no-break spaces). */
const textIn = async (editor: ReturnType<Page['locator']>) => (await editor.innerText()).replace(/\u00a0/g, ' ');

/** Waits until the result pane shows `text`. */
const untilResultShows = (page: Page, text: string, timeout = WAIT_MS) =>
  expect.poll(() => textIn(page.locator('.result-window')), { timeout }).toContain(text);

describe('the explorer (GraphiQL in Chromium)', () => {
  // Awaited by each test (withPage), so that a missing Chromium fails every one of them with what to install.
  let browser: Promise<Browser>;
  beforeAll(() => void (browser = launchBrowser()).catch(() => {}));
  afterAll(async () => (await browser.catch(() => undefined))?.close());

  it('runs a subscription as the person whose token is in the Headers tab, and shows what arrives live', async () => {
    const [alice, bob] = await Promise.all([signUp(), signUp()]);
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const before = `before-${randomUUID().slice(0, 8)}`;
    const live = `live-${randomUUID().slice(0, 8)}`;
    await say(alice, chat.id, before);

    await withPage(browser, 'explorer-subscription', async (page) => {
      // From the start of the chat: the replay shows the subscription is running, then live messages follow.
      const elsewhere = await openExplorer(
        page,
        `subscription Live {\n  messageAdded(chatId: "${chat.id}", after: "0") {\n    text\n    sender { id }\n  }\n}\n`,
      );
      await typeHeaders(page, { Authorization: `Bearer ${bob.accessToken}` });
      await run(page);
      await untilResultShows(page, before);
      await say(alice, chat.id, live);
      await untilResultShows(page, live);
      expect(await textIn(page.locator('.result-window'))).toContain(alice.userId);
      expect(elsewhere).toEqual([]);
    });
  });

  it('runs a query with the Headers tab token over HTTP', async () => {
    const bob = await signUp();
    await withPage(browser, 'explorer-query', async (page) => {
      await openExplorer(page, 'query Me {\n  me { id }\n}\n');
      await typeHeaders(page, { authorization: `Bearer ${bob.accessToken}` });
      await run(page);
      await untilResultShows(page, bob.userId);
    });
  });

  it('shows the refusal of a subscription without a valid token at once (no retries)', async () => {
    for (const headers of [undefined, { Authorization: 'Bearer not-a-token' }]) {
      await withPage(browser, `explorer-refused-${headers ? 'bad-token' : 'no-token'}`, async (page) => {
        await openExplorer(page, 'subscription {\n  messageAdded { text }\n}\n');
        if (headers) await typeHeaders(page, headers);
        await run(page);
        await untilResultShows(page, '"closeCode": 4403', REFUSAL_MS);
        expect(await textIn(page.locator('.result-window'))).toContain('Headers tab');
        // Ended, not waiting to retry: the run button is back.
        await expect
          .poll(() => page.locator('.graphiql-execute-button').getAttribute('aria-label'))
          .toMatch(/^Execute/);
      });
    }
  });
});
