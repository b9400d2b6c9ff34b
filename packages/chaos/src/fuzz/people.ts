import { randomUUID } from 'node:crypto';
import { requestIdToken } from '@letstalk/testing';
import type { Pools } from './values.ts';

/** Where and how the pass's people sign in: the stack's fake OIDC issuer and the provider name it is configured as. */
export interface SignInSetup {
  gatewayUrl: string;
  oidcIssuer: string;
  provider: string;
}

export interface Person {
  sub: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
  signedInAt: number;
  ip: string;
}

/** A GraphQL request of the pass's own (set-up and final checks), failing on any error. */
export async function graphql<Data>(
  gatewayUrl: string,
  query: string,
  variables: Record<string, unknown>,
  options: { token?: string; ip: string },
): Promise<Data> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': options.ip,
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const SIGN_IN = `mutation ($provider: String!, $idToken: String!) {
  signInWithOidc(provider: $provider, idToken: $idToken) { accessToken refreshToken user { id } }
}`;

/** Signs `sub` in (the account is made on first use): a new session each time. */
export async function signIn(setup: SignInSetup, sub: string, firstName: string, ip: string): Promise<Person> {
  const idToken = await requestIdToken(setup.oidcIssuer, { sub, given_name: firstName, family_name: 'Fuzz' });
  const { signInWithOidc: auth } = await graphql<{
    signInWithOidc: { accessToken: string; refreshToken: string; user: { id: string } };
  }>(setup.gatewayUrl, SIGN_IN, { provider: setup.provider, idToken }, { ip });
  return {
    sub,
    userId: auth.user.id,
    accessToken: auth.accessToken,
    refreshToken: auth.refreshToken,
    signedInAt: Date.now(),
    ip,
  };
}

/** Sign-ins of the pass: this many people, and their ids, chats and messages as the pools the generator draws from. */
export async function seedPeople(setup: SignInSetup, count: number, ipPrefix: string) {
  const people: Person[] = [];
  for (let index = 0; index < count; index += 1)
    people.push(await signIn(setup, `fuzz-${randomUUID()}`, `Fuzzer${index}`, `${ipPrefix}.${index + 1}`));
  const [alice, bob, carol] = people as [Person, Person, Person];
  const as = (person: Person) => ({ token: person.accessToken, ip: person.ip });
  const call = <Data>(person: Person, query: string, variables: Record<string, unknown> = {}) =>
    graphql<Data>(setup.gatewayUrl, query, variables, as(person));
  const direct = await call<{ startDirectChat: { id: string } }>(
    alice,
    'mutation ($u: ID!) { startDirectChat(userId: $u) { id } }',
    {
      u: bob.userId,
    },
  );
  const group = await call<{ createGroupChat: { id: string } }>(
    alice,
    'mutation ($m: [ID!]!) { createGroupChat(name: "Fuzz group", memberIds: $m) { id } }',
    { m: [bob.userId, carol.userId] },
  );
  const chatIds = [direct.startDirectChat.id, group.createGroupChat.id];
  const messageIds: string[] = [];
  for (const chatId of chatIds)
    for (const text of ['hello', 'see https://example.com/page', '**bold** 😀']) {
      const sent = await call<{ sendMessage: { id: string } }>(
        alice,
        'mutation ($i: SendMessageInput!) { sendMessage(input: $i) { id } }',
        { i: { chatId, clientMessageId: randomUUID(), text } },
      );
      messageIds.push(sent.sendMessage.id);
    }
  const ringing = await call<{ startCall: { id: string } }>(
    alice,
    'mutation ($c: ID!) { startCall(chatId: $c, offer: "v=0") { id } }',
    { c: direct.startDirectChat.id },
  );
  const history = await call<{ messages: { edges: { cursor: string }[] } }>(
    alice,
    'query ($c: ID!) { messages(chatId: $c, first: 2) { edges { cursor } } }',
    { c: group.createGroupChat.id },
  );
  const lists = await call<{
    chats: { pageInfo: { endCursor: string | null } };
    users: { pageInfo: { endCursor: string | null } };
  }>(alice, '{ chats(first: 1) { pageInfo { endCursor } } users(first: 1) { pageInfo { endCursor } } }');
  // A session nothing else uses: its refresh token may be reused by the pass (which revokes that session only).
  const burner = await signIn(setup, alice.sub, 'Fuzzer0', `${ipPrefix}.200`);
  const pools: Pools = {
    userIds: people.map((person) => person.userId),
    chatIds,
    messageIds,
    imageIds: [],
    callIds: [ringing.startCall.id],
    refreshTokens: [burner.refreshToken],
    cursors: [
      ...history.messages.edges.map((edge) => edge.cursor),
      ...[lists.chats.pageInfo.endCursor, lists.users.pageInfo.endCursor].filter(
        (cursor): cursor is string => !!cursor,
      ),
    ],
  };
  return { people, pools };
}

/** Access tokens last 15 minutes: a person signed in longer ago than this signs in again before a request. */
const SESSION_REFRESH_MS = 8 * 60_000;

/** The pass's people, each signed in again when their token gets old (the pass may outlast one). */
export class Sessions {
  constructor(
    private readonly setup: SignInSetup,
    private readonly people: Person[],
  ) {}

  async tokenOf(index: number): Promise<string> {
    const person = this.people[index % this.people.length]!;
    if (Date.now() - person.signedInAt > SESSION_REFRESH_MS) {
      const again = await signIn(this.setup, person.sub, 'Fuzzer', person.ip);
      Object.assign(person, again);
    }
    return person.accessToken;
  }

  /** A session of its own, for a request that may end it (sign-out, refresh). */
  async fresh(ip: string): Promise<string> {
    return (await signIn(this.setup, this.people[0]!.sub, 'Fuzzer0', ip)).accessToken;
  }
}
