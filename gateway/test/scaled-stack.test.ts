import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  MessageAddedDocument,
  MessagesDocument,
  SendMessageDocument,
  StartDirectChatDocument,
  UsersDocument,
} from '@letstalk/sdk';
import { waitUntil } from '@letstalk/testing';
import { runScaledStack, type ScaledStack } from '../../packages/stack/src/scaled/run-scaled.ts';
import { collect, signUp, uniqueName, untilLive, type Person } from './helpers.ts';

/**
 * The scale-out stack (npm run stack:scaled: HAProxy, two of every process, three NATS nodes, MariaDB with a
 * replica) driven like a client through its balancer, while a message subgraph instance and the replica are
 * killed. Its codes go to this suite's fake SMTP server, like the main stack's. A NATS node's loss is tested at the
 * stream level (packages/stack/test/nats-cluster.test.ts); live delivery across it is the fault suite's next case.
 */
let stack: ScaledStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'letstalk-scaled-'));
  const { SMTP_URL } = inject('stackEnv');
  stack = await runScaledStack(
    { NODE_ENV: 'test', LOG_LEVEL: 'warn', SMTP_URL: SMTP_URL!, TRUST_PROXY_HOPS: '1' },
    { dataDir },
  );
}, 300_000);
afterAll(async () => {
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
}, 60_000);

const processNamed = (name: string) => stack.processes.find((process) => process.name === name)!;

describe('two of everything behind HAProxy', () => {
  it('delivers every message once, in order, while a message subgraph and the replica die', async () => {
    const [alice, bob] = (await Promise.all(
      ['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName: uniqueName() }, stack.gatewayUrl)),
    )) as [Person, Person];
    const { startDirectChat: chat } = await alice.client.request(StartDirectChatDocument, { userId: bob.userId });
    const added = collect(bob.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
    await untilLive(bob.client, alice, chat.id);
    const sent: string[] = [];
    const send = async (count: number) => {
      for (let n = 0; n < count; n += 1) {
        const text = `message ${sent.length + 1}`;
        await alice.client.request(SendMessageDocument, {
          input: { chatId: chat.id, clientMessageId: randomUUID(), text },
        });
        sent.push(text);
      }
    };
    const received = () => added.data().map((data) => data.messageAdded.text);

    await send(5);
    // A message subgraph instance dies: HAProxy retries the refused connections on the other.
    await processNamed('message-1').kill();
    await send(5);
    // Events the killed instance had taken for the live fan-out come again after the consumer's 30 s ack wait.
    await waitUntil(() => received().length >= sent.length, 'every message live', { timeoutMs: 90_000 });
    expect(received()).toEqual(sent);

    // The replica dies: older history pages come from the primary.
    await stack.database.replica.kill();
    // Edges run newest first; the page after the newest five is older history.
    const newest = await bob.client.request(MessagesDocument, { chatId: chat.id, first: 5 });
    const older = await bob.client.request(MessagesDocument, {
      chatId: chat.id,
      first: 10,
      after: newest.messages.edges.at(-1)!.cursor,
    });
    expect(older.messages.edges.map((edge) => edge.node.text)).toEqual(sent.slice(0, 5).reverse());
    expect((await alice.client.request(UsersDocument, { search: 'bob' })).users.edges.length).toBeGreaterThan(0);

    // Each comes back, and what is sent then arrives too.
    await stack.database.replica.restart();
    await processNamed('message-1').restart();
    await send(3);
    await added.until(() => received().length >= sent.length, 'the messages sent once everything is back');
    expect(received()).toEqual(sent);
    await added.stop();
    await Promise.all([alice.client.dispose(), bob.client.dispose()]);
  }, 180_000);
});
