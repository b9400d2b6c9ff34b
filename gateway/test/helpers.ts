import { randomInt, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { WebSocket, type RawData } from 'ws';
import {
  createClient,
  LetsTalkError,
  MessageAddedDocument,
  MessageUpdatedDocument,
  RequestEmailCodeDocument,
  SendMessageDocument,
  SetTypingDocument,
  SignInWithEmailCodeDocument,
  StartDirectChatDocument,
  TypingDocument,
  UpdateProfileDocument,
  type LetsTalkClient,
} from '@letstalk/sdk';
import { waitForCode } from '@letstalk/testing';

/** A client address per simulated person (the gateway trusts one proxy hop in these tests). */
export const uniqueIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
export const uniqueEmail = (prefix = 'e2e') => `${prefix}-${randomUUID().slice(0, 12)}@example.test`;
/** A name unique to one test, so directory searches see only that test's people. */
export const uniqueName = (prefix = 'T') => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 10)}`;

export interface Person {
  client: LetsTalkClient;
  userId: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** A client of the running gateway, as a front-end would make it with the SDK. */
export function clientFor(
  accessToken?: () => string | undefined,
  ip = uniqueIp(),
  url = inject('gatewayUrl'),
): LetsTalkClient {
  return createClient({
    url,
    ...(accessToken ? { accessToken } : {}),
    webSocketImpl: WebSocket,
    headers: { 'x-forwarded-for': ip },
  });
}

/** Signs a new person up through the gateway (by default the stack's) with an emailed code, optionally naming them. */
export async function signUp(
  name?: { firstName: string; lastName: string },
  url = inject('gatewayUrl'),
): Promise<Person> {
  const email = uniqueEmail();
  const ip = uniqueIp();
  const session = { accessToken: '' };
  const client = clientFor(() => session.accessToken || undefined, ip, url);
  await client.request(RequestEmailCodeDocument, { email });
  const code = await waitForCode(inject('inboxUrl'), email);
  const { signInWithEmailCode: auth } = await client.request(SignInWithEmailCodeDocument, { email, code });
  session.accessToken = auth.accessToken;
  if (name) await client.request(UpdateProfileDocument, { input: name });
  return { client, userId: auth.user.id, email, accessToken: auth.accessToken, refreshToken: auth.refreshToken };
}

/** Sends a message as `person`. */
export const say = (person: Person, chatId: string, text: string) =>
  person.client.request(SendMessageDocument, { input: { chatId, clientMessageId: randomUUID(), text } });

/** The text of a WebSocket message (`ws` hands it over as a Buffer, or as chunks of one). */
export function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return Buffer.isBuffer(data) ? data.toString() : Buffer.from(data).toString();
}

/** How long a test waits for something to arrive live. */
export const WAIT_MS = 10_000;

/** Collects what a subscription yields, so a test can wait for a number of results. */
export function collect<Result>(
  iterator: AsyncIterableIterator<{
    data?: Result | null;
    errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  }>,
) {
  const results: {
    data?: Result | null;
    errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  }[] = [];
  let ended = false;
  let failure: unknown;
  const done = (async () => {
    try {
      for await (const result of iterator) results.push(result);
    } catch (error) {
      failure = error;
    }
    ended = true;
  })();
  return {
    results,
    data: () => results.flatMap((result) => (result.data ? [result.data] : [])),
    get ended() {
      return ended;
    },
    get failure() {
      return failure;
    },
    async until(check: () => boolean, what: string) {
      const deadline = Date.now() + WAIT_MS;
      while (!check()) {
        if (Date.now() > deadline) {
          throw new Error(
            `timed out waiting for ${what}; got ${JSON.stringify(results)}${ended ? `, ended with ${JSON.stringify(failure)}` : ''}`,
          );
        }
        await new Promise((wait) => setTimeout(wait, 20));
      }
    },
    stop: async () => {
      await iterator.return?.();
      await done;
    },
  };
}

/** The `extensions.code` a request failed with; undefined when it succeeded (any other failure is thrown). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LetsTalkError) return error.code;
    throw error;
  }
  return undefined;
}

/** The error a subscription ended with (graphql-ws delivers it as an array of GraphQL errors). */
export const codeOfFailure = (failure: unknown) =>
  (Array.isArray(failure) ? (failure[0] as { extensions?: { code?: string } })?.extensions?.code : undefined) ??
  String(failure);

/**
 * Waits until `viewer`'s live subject is being listened to on its gateway: `poker` (a member of `chatId`)
 * says it is typing until the viewer hears it. Everything published after that reaches the viewer's
 * subscriptions opened before.
 */
export async function untilLive(viewer: LetsTalkClient, poker: Person, chatId: string) {
  const typing = collect(viewer.subscribe(TypingDocument, { chatId }));
  const deadline = Date.now() + WAIT_MS;
  while (typing.data().length === 0) {
    if (Date.now() > deadline) throw new Error('the viewer never started hearing live events');
    await poker.client.request(SetTypingDocument, { chatId });
    await new Promise((wait) => setTimeout(wait, 250));
  }
  await typing.stop();
}

/**
 * Alice and Bob in a direct chat, Bob following its messages live (`added`, `updated`) from the start; `send`
 * is Alice sending a text, `close` ends the subscriptions and both clients.
 */
export async function aliceAndBobFollowingLive() {
  const [alice, bob] = await Promise.all(
    ['Alice', 'Bob'].map((firstName) => signUp({ firstName, lastName: uniqueName() })),
  );
  const { startDirectChat: chat } = await alice!.client.request(StartDirectChatDocument, { userId: bob!.userId });
  const added = collect(bob!.client.subscribe(MessageAddedDocument, { chatId: chat.id, after: '0' }));
  const updated = collect(bob!.client.subscribe(MessageUpdatedDocument, { chatId: chat.id }));
  await untilLive(bob!.client, alice!, chat.id);
  const send = async (text: string) =>
    (
      await alice!.client.request(SendMessageDocument, {
        input: { chatId: chat.id, clientMessageId: randomUUID(), text },
      })
    ).sendMessage;
  const close = async () => {
    await Promise.all([added.stop(), updated.stop()]);
    await Promise.all([alice!.client.dispose(), bob!.client.dispose()]);
  };
  return { alice: alice!, bob: bob!, chat, added, updated, send, close };
}
