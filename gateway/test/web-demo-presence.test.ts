import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PresenceChangedDocument,
  PresenceDocument,
  SetPresenceHiddenDocument,
  StartDirectChatDocument,
} from '@letstalk/sdk';
import { launchBrowser, type Browser } from '@letstalk/testing';
import { collect, signUp as signUpThroughApi, uniqueName } from './helpers.ts';
import { apiOf, asPerson, signUp } from './web-demo-helpers.ts';

/** Presence in the demo web chat (the other person's dot and "last seen", "Hide my presence"), in Chromium. */
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('presence in the web demo', () => {
  it('shows the other person online, then when last seen, live; "Hide my presence" hides the viewer', async () => {
    await asPerson(browser, 'web-demo-presence', async (page) => {
      await signUp(page, 'Erin');
      const erin = await apiOf(page);
      const frank = await signUpThroughApi({ firstName: 'Frank', lastName: uniqueName() });
      await frank.client.request(StartDirectChatDocument, { userId: erin.userId });
      await page.getByTestId('chat-item').click();
      const presence = page.getByTestId('presence');
      await presence.getByText('Offline', { exact: true }).waitFor();

      // Frank's app connects: Erin sees him online, with a dot on his avatar in the list.
      const franksSocket = collect(frank.client.subscribe(PresenceChangedDocument));
      await presence.getByText('Online', { exact: true }).waitFor();
      await page.getByTestId('chat-item').getByRole('img', { name: 'Online' }).waitFor();
      // He leaves: "Last seen" and the time.
      await franksSocket.stop();
      await frank.client.dispose();
      await presence.getByText(/^Last seen /).waitFor();
      expect(await page.getByTestId('chat-item').getByTestId('presence-dot').count()).toBe(0);

      // Erin hides hers: Frank reads her OFFLINE, never seen; showing it again shows her online.
      const hide = page.getByLabel('Hide my presence');
      await hide.check();
      await expect
        .poll(async () => (await frank.client.request(PresenceDocument, { userId: erin.userId })).presence)
        .toMatchObject({ status: 'OFFLINE', lastSeenAt: null });
      await hide.uncheck();
      await expect
        .poll(async () => (await frank.client.request(PresenceDocument, { userId: erin.userId })).presence.status)
        .toBe('ONLINE');
      // Her setting is read back after a reload.
      await erin.client.request(SetPresenceHiddenDocument, { hidden: true });
      await page.reload();
      await expect.poll(() => page.getByLabel('Hide my presence').isChecked()).toBe(true);
      await Promise.all([erin.client.dispose(), frank.client.dispose()]);
    });
  });
});
