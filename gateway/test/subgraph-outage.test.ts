import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MessageAddedDocument, StartDirectChatDocument } from '@letstalk/sdk';
import { spawnGateway } from '@letstalk/stack';
import { startSwitchableProxy } from '@letstalk/testing';
import { PAYLOAD_RETRY_DELAYS_MS } from '../src/live/event-payloads.ts';
import { clientFor, codeOfFailure, collect, say, signUp, uniqueName, untilLive } from './helpers.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RETRIES_MS = PAYLOAD_RETRY_DELAYS_MS.reduce((sum, delay) => sum + delay, 0);

/**
 * A gateway of its own whose path to the user subgraph can be cut, as if that subgraph died: the sender of
 * each message (`Message.sender`, non-null, resolved by the user subgraph) cannot be read meanwhile.
 */
describe('live delivery while the user subgraph is down', () => {
  let proxy: Awaited<ReturnType<typeof startSwitchableProxy>>;
  let gateway: Awaited<ReturnType<typeof spawnGateway>>;
  beforeAll(async () => {
    proxy = await startSwitchableProxy(inject('userSubgraphUrl'));
    const subgraphUrls = inject('subgraphUrls');
    gateway = await spawnGateway(
      inject('stackEnv'),
      { ...subgraphUrls, user: proxy.url },
      {
        // Tokens are still checked against the real user subgraph's keys: only the data path goes away.
        jwksUrl: subgraphUrls.user.replace(/\/graphql$/, '/.well-known/jwks.json'),
      },
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.close();
  });

  async function followedChat() {
    const [alice, bob] = await Promise.all(
      ['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
    );
    const { startDirectChat: chat } = await alice!.client.request(StartDirectChatDocument, { userId: bob!.userId });
    // Bob's client talks to the gateway whose user subgraph goes away.
    const viewer = clientFor(() => bob!.accessToken, undefined, gateway.url);
    return { alice: alice!, bob: bob!, chatId: chat.id, viewer };
  }

  it('a short outage delays messages but loses none: each arrives once, in order, with its sender', async () => {
    const { alice, bob, chatId, viewer } = await followedChat();
    const added = collect(viewer.subscribe(MessageAddedDocument, { chatId, after: '0' }));
    await untilLive(viewer, alice, chatId);
    await proxy.cut();
    try {
      for (const text of ['one', 'two', 'three']) await say(alice, chatId, text);
      await pause(1_000);
    } finally {
      await proxy.restore();
    }
    await added.until(() => added.data().length === 3, 'the three messages');
    expect(added.results.every((result) => !result.errors)).toBe(true);
    expect(added.data().map((data) => [data.messageAdded.text, data.messageAdded.sender.displayName])).toEqual([
      ['one', expect.stringContaining('Alice')],
      ['two', expect.stringContaining('Alice')],
      ['three', expect.stringContaining('Alice')],
    ]);
    await added.stop();
    await Promise.all([alice.client.dispose(), bob.client.dispose(), viewer.dispose()]);
  });

  it(
    'a longer outage ends the subscription as UNAVAILABLE, and resuming from the last cursor brings what was missed',
    async () => {
      const { alice, bob, chatId, viewer } = await followedChat();
      const added = collect(viewer.subscribe(MessageAddedDocument, { chatId, after: '0' }));
      await untilLive(viewer, alice, chatId);
      await say(alice, chatId, 'before');
      await added.until(() => added.data().length === 1, 'the first message');
      await proxy.cut();
      try {
        await say(alice, chatId, 'during');
        await added.until(() => added.ended, 'the subscription to give up');
      } finally {
        await proxy.restore();
      }
      expect(codeOfFailure(added.failure)).toBe('UNAVAILABLE');
      expect(added.results.every((result) => result.data)).toBe(true);
      const last = added.data().at(-1)!.messageAdded;
      const resumed = collect(viewer.subscribe(MessageAddedDocument, { chatId, after: String(last.seq) }));
      await resumed.until(() => resumed.data().length === 1, 'the missed message');
      expect(resumed.data()[0]!.messageAdded.text).toBe('during');
      await resumed.stop();
      await Promise.all([alice.client.dispose(), bob.client.dispose(), viewer.dispose()]);
    },
    30_000 + RETRIES_MS,
  );

  it('resuming every chat with `since` while it is down fails UNAVAILABLE instead of skipping the chat', async () => {
    const { alice, bob, chatId, viewer } = await followedChat();
    await say(alice, chatId, 'missed');
    await proxy.cut();
    try {
      const resumed = collect(viewer.subscribe(MessageAddedDocument, { since: [`${chatId}:0`] }));
      await resumed.until(() => resumed.ended, 'the resume to fail');
      expect(codeOfFailure(resumed.failure)).toBe('UNAVAILABLE');
      expect(resumed.data()).toEqual([]);
    } finally {
      await proxy.restore();
    }
    const again = collect(viewer.subscribe(MessageAddedDocument, { since: [`${chatId}:0`] }));
    await again.until(() => again.data().length === 1, 'the replay once it is back');
    expect(again.data()[0]!.messageAdded.text).toBe('missed');
    await again.stop();
    await Promise.all([alice.client.dispose(), bob.client.dispose(), viewer.dispose()]);
  });
});
