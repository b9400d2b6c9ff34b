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

  it('exports the data: Export my data shows the archive being prepared, then a link that downloads the zip', async () => {
    await asPerson(browser, 'web-demo-export', async (page) => {
      await signUp(page, 'Erin');
      await page.getByRole('button', { name: 'Export my data' }).click();
      const link = page.getByRole('link', { name: /^Download your data \(\d+ KB\)$/ });
      await link.waitFor({ timeout: 30_000 });
      expect(await page.getByRole('button', { name: 'Export my data' }).isEnabled()).toBe(true);

      // The link is the archive's signed URL on the gateway: a zip, downloaded as an attachment.
      const response = await fetch((await link.getAttribute('href'))!);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=letstalk-export-/);
      const zip = Buffer.from(await response.arrayBuffer());
      expect(zip.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))).toBe(true);
      expect(zip.includes('profile.json')).toBe(true);
    });
  }, 90_000);
});
