import { inject } from 'vitest';
import { waitForCode, withPage, type Browser, type Page } from '@letstalk/testing';
import { clientFor, uniqueEmail, uniqueIp, uniqueName, type Person } from './helpers.ts';

/**
 * A person's own browser: a context of its own, whose requests come from an address of its own (the gateway
 * trusts one proxy hop here), so the per-address sign-in limits of the shared test database are this person's.
 */
export const asPerson = <Result>(browser: Browser, name: string, steps: (page: Page) => Promise<Result>) =>
  withPage(browser, name, steps, { extraHTTPHeaders: { 'x-forwarded-for': uniqueIp() } });

/** Signs up through the page with the code emailed to the fake SMTP server, and gives a name. */
export async function signUp(page: Page, firstName: string): Promise<{ email: string; name: string }> {
  const email = uniqueEmail('web');
  const lastName = uniqueName();
  await page.goto(inject('webDemoUrl'));
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send me a code' }).click();
  await page.getByLabel('Code').fill(await waitForCode(inject('inboxUrl'), email));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByPlaceholder('First name').fill(firstName);
  await page.getByPlaceholder('Last name').fill(lastName);
  await page.getByRole('button', { name: 'Save' }).click();
  const name = `${firstName} ${lastName}`;
  await page.getByTestId('me').getByText(name).waitFor();
  return { email, name };
}

/** One of the page's WebSockets as Playwright routes it. */
type WebSocketRoute = Parameters<Parameters<Page['routeWebSocket']>[1]>[0];

/**
 * Takes `page`'s network away and gives it back. Chromium's offline emulation (`context.setOffline`) fails new
 * requests but leaves an open WebSocket alone, so the page's sockets go through Playwright, which cuts them
 * and refuses new ones while offline, as a lost network would.
 */
export async function network(page: Page) {
  let offline = false;
  const sockets = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
  await page.routeWebSocket(/\/graphql$/, async (ws) => {
    if (offline) return ws.close({ code: 4000, reason: 'offline' });
    const socket = { page: ws, server: ws.connectToServer() };
    sockets.add(socket);
    ws.onClose(() => sockets.delete(socket));
  });
  return {
    async goOffline() {
      offline = true;
      await page.context().setOffline(true);
      await Promise.all([...sockets].flatMap((socket) => [socket.server.close(), socket.page.close({ code: 4000 })]));
    },
    async goOnline() {
      offline = false;
      await page.context().setOffline(false);
    },
  };
}

/** A message of the open chat by its exact text, optionally in a status (pending, sent, failed). */
export const bubble = (page: Page, text: string, status?: 'pending' | 'sent' | 'failed') =>
  page
    .locator(`[data-testid=message]${status ? `[data-status=${status}]` : ''} .bubble p`)
    .getByText(text, { exact: true });

/** The texts of the open chat's messages, top to bottom. */
export const texts = (page: Page) => page.locator('[data-testid=message] .bubble p').allTextContents();

export async function send(page: Page, text: string) {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

/** Picks a person in the open "New chat" form, found by their exact email. */
export async function pick(page: Page, person: { email: string; name: string }) {
  await page.getByLabel('Find people by name or email').fill(person.email);
  await page.getByRole('checkbox', { name: person.name }).check();
}

/** Both sign up through their pages; Alice starts a direct chat with Bob through the "New chat" form. */
export async function aliceAndBob(alice: Page, bob: Page) {
  const [aliceAccount, bobAccount] = await Promise.all([signUp(alice, 'Alice'), signUp(bob, 'Bob')]);
  await alice.getByRole('button', { name: '+ New chat' }).click();
  await pick(alice, bobAccount);
  await alice.getByRole('button', { name: 'Start chat' }).click();
  await alice.getByRole('heading', { name: bobAccount.name }).waitFor();
  return { aliceAccount, bobAccount };
}

/** The page's own session as an SDK client, for what a test does faster through the API. */
export async function apiOf(page: Page) {
  const stored = JSON.parse((await page.evaluate(() => localStorage.getItem('letstalk.session')))!);
  return { client: clientFor(() => stored.accessToken as string), userId: stored.userId } as Person;
}

/** A message of the open chat, found by its exact text (its quote, reactions and buttons with it). */
export const messageWith = (page: Page, text: string) =>
  page.getByTestId('message').filter({ has: page.locator('.bubble p').getByText(text, { exact: true }) });
