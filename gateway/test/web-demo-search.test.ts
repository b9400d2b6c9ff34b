import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateGroupChatDocument } from '@letstalk/sdk';
import { launchBrowser, type Browser } from '@letstalk/testing';
import { signUp as signUpThroughApi, uniqueName } from './helpers.ts';
import { apiOf, asPerson, bubble, send, signUp } from './web-demo-helpers.ts';

/** The demo web chat's message search (the sidebar's field and results), driven in Chromium. */
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('message search in the web demo', () => {
  it('finds a sent word, marked, opens its chat from the result, and says why a two-letter query is refused', async () => {
    await asPerson(browser, 'web-demo-search', async (page) => {
      const { name } = await signUp(page, 'Sam');

      // A group with Carol (signed up and added through the API); Sam sends a word no other test sends.
      const carol = await signUpThroughApi({ firstName: 'Carol', lastName: uniqueName() });
      const sam = await apiOf(page);
      const group = `Search ${uniqueName()}`;
      await sam.client.request(CreateGroupChatDocument, { name: group, memberIds: [carol.userId] });
      await Promise.all([sam.client.dispose(), carol.client.dispose()]);
      await page.getByTestId('chat-item').filter({ hasText: group }).click();
      const word = uniqueName('zq');
      // Markup in a message is text: the excerpt shows it as written.
      const text = `Release <b>notes</b> for ${word} tonight`;
      await send(page, text);
      await bubble(page, text, 'sent').waitFor();
      // Opened again, the page has no chat open: the result will open it.
      await page.reload();
      await page.getByText('Pick a chat on the left.').waitFor();

      // Sam searches for the word's beginning (every word is a prefix). The index follows message events, so
      // the search is made again until it finds the message (30 searches a minute per person: one a second).
      const field = page.getByLabel('Search messages');
      const results = page.getByTestId('search-results');
      const result = results.getByTestId('search-result').filter({ hasText: word });
      await field.fill(word.slice(0, 8));
      await expect
        .poll(
          async () => {
            await field.press('Enter');
            await results.and(page.locator('[aria-busy=false]')).waitFor();
            return result.count();
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toBe(1);

      // The result: the chat's name, the sender, the time, and the excerpt with the whole matching word marked.
      await result.locator('.search-chat').getByText(group, { exact: true }).waitFor();
      await result.locator('.search-sender').getByText(name, { exact: true }).waitFor();
      expect(await result.locator('time').textContent()).toMatch(/\d{1,2}:\d{2}/);
      expect(await result.locator('mark').allTextContents()).toEqual([word]);
      expect(await result.locator('.search-excerpt').textContent()).toBe(text);
      expect(await result.locator('.search-excerpt b').count()).toBe(0);

      // The result opens its chat.
      await result.click();
      await page.getByRole('heading', { name: group }).waitFor();
      await bubble(page, text, 'sent').waitFor();

      // Two letters are no word the index holds: the server's reason shows, and × goes back to the chat list.
      await field.fill('ab');
      await field.press('Enter');
      await results.getByRole('alert').getByText('Search for at least one word of 3 or more characters.').waitFor();
      await page.getByRole('button', { name: 'Clear search' }).click();
      await results.waitFor({ state: 'detached' });
      await expect.poll(() => field.inputValue()).toBe('');
      await page.getByTestId('chat-item').filter({ hasText: group }).waitFor();
    });
  }, 90_000);
});
