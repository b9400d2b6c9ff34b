import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessagesDocument, StartDirectChatDocument } from '@letstalk/sdk';
import { launchBrowser, type Browser } from '@letstalk/testing';
import { say, signUp as signUpThroughApi, uniqueName } from './helpers.ts';
import { apiOf, asPerson, signUp } from './web-demo-helpers.ts';

/** Deleting one's account in the demo web chat (the button beside the name and its confirmation), in Chromium. */
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('deleting the account in the web demo', () => {
  it('deletes it after the confirmation, back at the sign-in screen; a message sent before is by "Deleted user"', async () => {
    await asPerson(browser, 'web-demo-account', async (page) => {
      await signUp(page, 'Dana');

      // Before leaving, Dana writes to Carol (signed up through the API) in their direct chat.
      const carol = await signUpThroughApi({ firstName: 'Carol', lastName: uniqueName() });
      const dana = await apiOf(page);
      const { startDirectChat: chat } = await dana.client.request(StartDirectChatDocument, { userId: carol.userId });
      await say(dana, chat.id, 'goodbye, Carol');
      await dana.client.dispose();

      // Cancel keeps everything as it was; Delete for good deletes the account and signs out.
      await page.getByRole('button', { name: 'Delete account' }).click();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Delete for good' }).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Delete account' }).click();
      await page.getByRole('button', { name: 'Delete for good' }).click();
      await page.getByLabel('Email').waitFor();
      expect(await page.evaluate(() => localStorage.getItem('letstalk.session'))).toBeNull();
      await page.reload();
      await page.getByLabel('Email').waitFor();

      // Carol still has the message, sent by "Deleted user".
      const { messages } = await carol.client.request(MessagesDocument, { chatId: chat.id });
      expect(messages.edges[0]?.node).toMatchObject({
        text: 'goodbye, Carol',
        sender: { id: dana.userId, displayName: 'Deleted user' },
      });
      await carol.client.dispose();
    });
  }, 90_000);
});
