import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '@letstalk/events';
import { createLogger } from '@letstalk/log';
import { createPool, type RowDataPacket } from '@letstalk/db';
import { announceUser, inheritedEnvironment, localServices, startFakeTokenIssuer, waitUntil } from '@letstalk/testing';
import { loadMessageEnv } from '../src/env.ts';
import { startMessageService } from '../src/service.ts';

export interface Result<Data = Record<string, any>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
  code?: string;
}

/**
 * The message subgraph started in-process against the real MariaDB and NATS. Accounts come from a
 * stand-in for the user subgraph: its JWKS and its `user.created` events on JetStream.
 */
/**
 * The presence bucket of every message subgraph the integration tests start: one installation's (they share the
 * database, so their presence consumers share their work and must read one bucket), not a running stack's.
 */
export const TEST_PRESENCE_BUCKET = 'presence_integration';

export async function startMessageHarness(overrides: Record<string, string> = {}) {
  const issuer = await startFakeTokenIssuer();
  // Not the end-to-end stack's database (it runs beside these tests, with its own presence bucket, and would share
  // their consumers); a worktree's tests may name another (MESSAGE_DATABASE).
  const { MESSAGE_DATABASE } = inheritedEnvironment();
  const env = loadMessageEnv({
    MESSAGE_DATABASE: MESSAGE_DATABASE ?? 'letstalk_message_test',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MESSAGE_PORT: '0',
    DATABASE_URL: localServices().databaseUrl,
    NATS_URL: localServices().natsUrl,
    AUTH_JWKS_URL: issuer.jwksUrl,
    PRESENCE_BUCKET: TEST_PRESENCE_BUCKET,
    ...overrides,
  });
  const service = await startMessageService(env, createLogger({ service: 'message', level: 'silent', pretty: false }));
  const nc: NatsConnection = await connectNats(env.NATS_URL, 'message-test');

  async function call<Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<Result<Data>> {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Result<Data>;
    return { ...body, status: response.status, code: body.errors?.[0]?.extensions?.code };
  }

  const pool = createPool(env.DATABASE_URL, env.MESSAGE_DATABASE);

  /**
   * A new account: announced on JetStream like a real sign-up, with an access token; ready once the subgraph knows
   * it. The harnesses of every suite share the known-users consumer, so under load the event may be handled by
   * another suite's subgraph, later than the KNOWN_USER_WAIT_MS a chat's creation waits for it.
   */
  async function person() {
    const id = await announceUser(nc, randomUUID());
    await waitUntil(
      async () => {
        const [rows] = await pool.query<RowDataPacket[]>('SELECT 1 FROM known_users WHERE id = ?', [id]);
        return rows.length > 0;
      },
      `user.created of ${id} to reach the message subgraph`,
      { timeoutMs: 20_000 },
    );
    const token = await issuer.tokenFor(id);
    return {
      id,
      token,
      call: <Data = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) =>
        call<Data>(query, variables, token),
    };
  }

  return {
    env,
    service,
    nc,
    call,
    person,
    /** `count` new accounts. */
    people: (count: number) => Promise.all(Array.from({ length: count }, () => person())),
    close: async () => {
      await nc.drain();
      await pool.end();
      await service.stop();
      await issuer.close();
    },
  };
}

export type Person = Awaited<ReturnType<Awaited<ReturnType<typeof startMessageHarness>>['person']>>;

export const CHAT_FIELDS =
  'id kind name viewerRole unreadCount members { user { id } role } lastMessage { id seq text }';
export const MESSAGE_FIELDS =
  'id seq text clientMessageId sender { id } createdAt editedAt deletedAt body { emojiOnly emojiCount paragraphs { spans { text link } } }';

export const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE_FIELDS} } }`;
const GROUP = `mutation($name: String!, $memberIds: [ID!]!) { createGroupChat(name: $name, memberIds: $memberIds) { ${CHAT_FIELDS} } }`;
export const DIRECT = `mutation($userId: ID!) { startDirectChat(userId: $userId) { ${CHAT_FIELDS} } }`;

export const MESSAGES = `query($chatId: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  messages(chatId: $chatId, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { seq text } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
  }
}`;

export const seqsOf = (result: Result) =>
  result.data?.messages.edges.map((edge: { node: { seq: number } }) => edge.node.seq);

/** Sends a message and returns it, failing the test on any error. */
export async function send(from: Person, chatId: string, text: string, clientMessageId = randomUUID()) {
  const result = await from.call(SEND, { input: { chatId, clientMessageId, text } });
  if (!result.data?.sendMessage) throw new Error(`send failed: ${JSON.stringify(result.errors)}`);
  return result.data.sendMessage as { id: string; seq: number; text: string };
}

export async function group(owner: Person, members: Person[], name = 'Test group') {
  const result = await owner.call(GROUP, { name, memberIds: members.map((member) => member.id) });
  if (!result.data?.createGroupChat) throw new Error(`group failed: ${JSON.stringify(result.errors)}`);
  return result.data.createGroupChat as { id: string };
}
