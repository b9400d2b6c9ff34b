import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateGroupChatDocument, MeDocument } from '@letstalk/sdk';
import { launchBrowser, noiseJpeg, OPEN_GRAPH_PAGE, startFakeWeb, type Browser, type FakeWeb } from '@letstalk/testing';
import { say, signUp as signUpThroughApi, uniqueName } from './helpers.ts';
import { aliceAndBob, apiOf, asPerson, bubble, messageWith, network, pick, send, texts } from './web-demo-helpers.ts';

/** The demo web chat (packages/web-demo) that `npm start` serves, driven in Chromium as two people. */
let browser: Browser;
/** The linked site: real HTTP on 127.0.0.1, the one address the stack's preview worker may fetch here. */
let web: FakeWeb;

beforeAll(async () => {
  [browser, web] = await Promise.all([launchBrowser(), startFakeWeb('127.0.0.1')]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), web?.close()]);
});

describe('the web demo in a browser', () => {
  it('two people sign in with emailed codes, chat, and one catches up on ten messages after going offline', async () => {
    await asPerson(browser, 'web-demo-alice', (alice) =>
      asPerson(browser, 'web-demo-bob', async (bob) => {
        const bobsNetwork = await network(bob);
        await aliceAndBob(alice, bob);

        // Sent: pending at once, then sent; Bob sees the chat with one unread message, then the message.
        await send(alice, 'Hello Bob!');
        await bubble(alice, 'Hello Bob!', 'sent').waitFor();
        const chatItem = bob.getByTestId('chat-item');
        await chatItem.getByTestId('unread').getByText('1').waitFor();
        await chatItem.click();
        await bubble(bob, 'Hello Bob!').waitFor();
        await chatItem.getByTestId('unread').waitFor({ state: 'detached' });

        // Bob goes offline: the banner says so; ten messages are sent meanwhile.
        await bobsNetwork.goOffline();
        await bob.locator('.banner[data-live=resuming], .banner[data-live=offline]').waitFor();
        const missed = Array.from({ length: 10 }, (_, index) => `While you were away #${index + 1}`);
        for (const text of missed) await send(alice, text);
        await expect
          .poll(() => alice.locator('[data-testid=message][data-status=sent]').count(), { timeout: 10_000 })
          .toBe(11);

        // Back online: the banner goes, and every missed message shows once, in order.
        await bobsNetwork.goOnline();
        await bob.locator('.banner').waitFor({ state: 'detached', timeout: 20_000 });
        await expect.poll(() => texts(bob), { timeout: 10_000 }).toEqual(['Hello Bob!', ...missed]);

        // A link shows its preview card, for both.
        await send(alice, `Timetables: ${web.page('/og')}`);
        for (const page of [alice, bob]) {
          await page.getByTestId('link-card').getByText(OPEN_GRAPH_PAGE.title).waitFor({ timeout: 15_000 });
        }

        // An image shows its thumbnail (served by the gateway) once processed. It is uploaded with
        // XMLHttpRequest (the page's fetch for the SDK's session), whose events show the progress.
        const uploaded = alice.waitForRequest(
          (request) => request.resourceType() === 'xhr' && request.method() === 'POST',
        );
        await alice.getByLabel('Send a picture or a file').setInputFiles({
          name: 'photo.jpg',
          mimeType: 'image/jpeg',
          buffer: await noiseJpeg(800),
        });
        expect((await uploaded).headers()['content-type']).toMatch(/^multipart\/form-data/);
        for (const page of [alice, bob]) {
          const thumbnail = page.getByTestId('thumbnail');
          await thumbnail.waitFor({ timeout: 15_000 });
          await expect
            .poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0))
            .toBe(true);
        }

        // Any other file goes as a file: a card with its name and size that downloads it as an attachment.
        await alice.getByLabel('Send a picture or a file').setInputFiles({
          name: 'Minutes.html',
          mimeType: 'text/html',
          buffer: Buffer.from('<script>alert(1)</script>'),
        });
        for (const page of [alice, bob]) {
          const card = page.getByTestId('file');
          await card.getByText('Minutes.html').waitFor({ timeout: 15_000 });
          expect(await card.getAttribute('download')).toBe('Minutes.html');
          const download = await page.request.get((await card.getAttribute('href'))!);
          expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="?Minutes\.html"?$/);
          expect(download.headers()['content-type']).toBe('application/octet-stream');
        }
      }),
    );
  }, 60_000);

  it('scrolls back through a long history, shows typing, retries a failed message and creates a group', async () => {
    await asPerson(browser, 'web-demo-history-alice', (alice) =>
      asPerson(browser, 'web-demo-history-bob', async (bob) => {
        const { aliceAccount, bobAccount } = await aliceAndBob(alice, bob);

        // 60 messages (more than a page of 50), sent through the SDK with the pages' own sessions, in turns
        // (one person may send 50 in 10 s).
        const senders = [await apiOf(alice), await apiOf(bob)];
        const chatId = (await alice.getByTestId('chat-item').getAttribute('data-chat-id'))!;
        const history = Array.from({ length: 60 }, (_, index) => `History #${index + 1}`);
        for (const [index, text] of history.entries()) await say(senders[index % 2]!, chatId, text);
        await Promise.all(senders.map((sender) => sender.client.dispose()));

        // Bob opens the page again (nothing in memory) and the chat at its newest messages, then scrolls up
        // until its beginning: each message once, in order.
        await bob.reload();
        await bob.getByTestId('chat-item').click();
        await bubble(bob, 'History #60').waitFor();
        expect(await bubble(bob, 'History #1').count()).toBe(0);
        const beginning = bob.getByText('This is the beginning of the chat.');
        await expect
          .poll(async () => {
            await bob.getByTestId('history').evaluate((element) => (element.scrollTop = 0));
            return beginning.isVisible();
          })
          .toBe(true);
        expect(await texts(bob)).toEqual(history);

        // Bob types: Alice sees it.
        await bob.getByLabel('Message', { exact: true }).fill('Hmm');
        await alice.getByText(`${bobAccount.name} is typing…`).waitFor();

        // Alice sends while offline: pending, then failed with Retry; back online, Retry sends it.
        await alice.context().setOffline(true);
        await send(alice, 'Are you there?');
        await bubble(alice, 'Are you there?', 'pending').waitFor();
        await alice.getByRole('button', { name: 'Not sent · Retry' }).waitFor({ timeout: 15_000 });
        await alice.context().setOffline(false);
        await alice.getByRole('button', { name: 'Not sent · Retry' }).click();
        await bubble(alice, 'Are you there?', 'sent').waitFor();
        await bubble(bob, 'Are you there?').waitFor();

        // A group of Alice, Bob and Carol (signed up through the API): it shows for Bob too.
        const carol = await signUpThroughApi({ firstName: 'Carol', lastName: uniqueName() });
        const carolName = (await carol.client.request(MeDocument)).me.displayName;
        await carol.client.dispose();
        await alice.getByRole('button', { name: '+ New chat' }).click();
        await pick(alice, bobAccount);
        await pick(alice, { email: carol.email, name: carolName });
        const group = `Weekend ${uniqueName()}`;
        await alice.getByLabel('Group name').fill(group);
        await alice.getByRole('button', { name: 'Create group (2)' }).click();
        await alice.getByRole('heading', { name: group }).waitFor();
        await send(alice, `Hi both, from ${aliceAccount.name}`);
        await bob.getByTestId('chat-item').filter({ hasText: group }).click();
        await bubble(bob, `Hi both, from ${aliceAccount.name}`).waitFor();
      }),
    );
  }, 60_000);

  it('replies with a quote and reacts, live on both sides; pins live, forwards into a group, and blocks', async () => {
    await asPerson(browser, 'web-demo-reply-alice', (alice) =>
      asPerson(browser, 'web-demo-reply-bob', async (bob) => {
        const { aliceAccount } = await aliceAndBob(alice, bob);
        const question = `Lunch at noon? ${uniqueName()}`;
        await send(alice, question);
        await bubble(alice, question, 'sent').waitFor();
        await bob.getByTestId('chat-item').click();

        // Bob replies through the Reply button: the bar says to whom, and goes once the reply is sent.
        await messageWith(bob, question).getByRole('button', { name: 'Reply', exact: true }).click();
        const replying = bob.getByTestId('reply-bar');
        await replying.getByText(`Replying to ${aliceAccount.name}: ${question}`).waitFor();
        await send(bob, 'Sure, see you there');
        await replying.waitFor({ state: 'detached' });

        // The reply quotes Alice's message, for both.
        for (const page of [alice, bob]) {
          const quote = messageWith(page, 'Sure, see you there').getByTestId('quote');
          await quote.getByText(aliceAccount.name, { exact: true }).waitFor();
          await quote.getByText(question, { exact: true }).waitFor();
        }

        // Bob reacts 👍 through the palette; Alice sees it arrive live, not pressed for her.
        const onBobs = messageWith(bob, question);
        await onBobs.getByRole('button', { name: 'React', exact: true }).click();
        await onBobs.getByRole('button', { name: 'React with 👍' }).click();
        await onBobs.getByRole('button', { name: '👍 1', pressed: true }).waitFor();
        const onAlices = messageWith(alice, question);
        await onAlices.getByRole('button', { name: '👍 1', pressed: false }).waitFor();

        // Alice adds hers by clicking it: two, pressed for her; Bob sees two live, still pressed for him.
        await onAlices.getByRole('button', { name: '👍 1' }).click();
        await onAlices.getByRole('button', { name: '👍 2', pressed: true }).waitFor();
        await onBobs.getByRole('button', { name: '👍 2', pressed: true }).waitFor();

        // Alice pins Bob's reply: the bar at the top of the chat shows it to Bob, live.
        await messageWith(alice, 'Sure, see you there').getByRole('button', { name: 'Pin', exact: true }).click();
        await bob.getByTestId('pinned-bar').getByText('Sure, see you there').waitFor();

        // Bob forwards it into a group with Alice (made through the API): the copy there says it was forwarded.
        const [bobs, alices] = [await apiOf(bob), await apiOf(alice)];
        const group = `Plans ${uniqueName()}`;
        await bobs.client.request(CreateGroupChatDocument, { name: group, memberIds: [alices.userId] });
        await Promise.all([bobs.client.dispose(), alices.client.dispose()]);
        await messageWith(bob, 'Sure, see you there').getByRole('button', { name: 'Forward', exact: true }).click();
        await bob.getByRole('group', { name: 'Forward to' }).getByRole('button', { name: group }).click();
        await bob.getByTestId('chat-item').filter({ hasText: group }).click();
        await messageWith(bob, 'Sure, see you there').getByText('Forwarded', { exact: true }).waitFor();

        // Alice mutes the chat for an hour, for herself only, and unmutes it.
        await alice.getByRole('button', { name: 'Mute 1 h' }).click();
        const muted = alice.getByRole('button', { name: /^Muted until .* · Unmute$/ });
        await muted.waitFor();
        // Bob's own view of the chat is not muted (he opens it to look).
        await bob.getByTestId('chat-item').filter({ hasText: aliceAccount.name }).click();
        await bob.getByRole('button', { name: 'Mute 1 h' }).waitFor();
        expect(await bob.getByRole('button', { name: /Unmute/ }).count()).toBe(0);
        await muted.click();
        await alice.getByRole('button', { name: 'Mute', exact: true }).click();
        await alice.getByRole('button', { name: 'Muted · Unmute' }).click();
        await alice.getByRole('button', { name: 'Mute 1 h' }).waitFor();

        // Alice blocks Bob: his next message in their direct chat is not sent.
        await alice.getByRole('button', { name: 'Block', exact: true }).click();
        await alice.getByRole('button', { name: 'Unblock' }).waitFor();
        await bob.getByTestId('chat-item').filter({ hasText: aliceAccount.name }).click();
        await send(bob, 'Still there?');
        await messageWith(bob, 'Still there?').getByRole('button', { name: 'Not sent · Retry' }).waitFor();
      }),
    );
  }, 60_000);
});
