import { randomInt, randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { createClient, CreateGroupChatDocument, SignInWithOidcDocument, type LetsTalkClient } from '@letstalk/sdk';
import { accessTokenMinter, requestIdToken } from '@letstalk/testing';
import { OIDC_PROVIDER, type ChaosStack } from './chaos-stack.ts';
import type { LoadOptions } from './options.ts';

/** A request that has had no answer for this long is given up on (and retried): longer than the gateway's 15 s. */
const REQUEST_TIMEOUT_MS = 20_000;
/** Access tokens last 15 minutes; a run lasts longer, so each person gets a new one after this. */
const TOKEN_RENEWAL_MS = 10 * 60_000;
/** Sign-ins at once while the population is made. */
const SIGN_IN_CONCURRENCY = 10;

/** Someone of the run: a real account (signed in with OIDC), with a client for each gateway. */
export interface Person {
  userId: string;
  /** One client per gateway, in the order of `ChaosStack.gatewayUrls`. */
  clients: LetsTalkClient[];
}

/** A group chat of the run: its senders (the first created it) and its live subscribers. */
export interface ChaosChat {
  id: string;
  senders: Person[];
  subscribers: Person[];
}

const timedFetch: typeof fetch = (input, init) =>
  fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

type Mint = (userId: string) => Promise<string>;

async function signIn(stack: ChaosStack, oidcIssuer: string, mint: Mint, name: string): Promise<Person> {
  // Behind the gateway's one trusted proxy hop, each person has an address of their own (per-address limits).
  const headers = { 'x-forwarded-for': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` };
  const session = { token: '', issuedAt: 0, userId: '' };
  const accessToken = async () => {
    if (session.userId && Date.now() - session.issuedAt > TOKEN_RENEWAL_MS) {
      session.token = await mint(session.userId);
      session.issuedAt = Date.now();
    }
    return session.token || undefined;
  };
  const clients = stack.gatewayUrls.map((url) =>
    createClient({ url, accessToken, headers, fetch: timedFetch, webSocketImpl: WebSocket }),
  );
  const idToken = await requestIdToken(oidcIssuer, { sub: randomUUID(), given_name: name, family_name: 'Chaos' });
  const { signInWithOidc } = await clients[0]!.request(SignInWithOidcDocument, { provider: OIDC_PROVIDER, idToken });
  Object.assign(session, { token: signInWithOidc.accessToken, issuedAt: Date.now(), userId: signInWithOidc.user.id });
  return { userId: signInWithOidc.user.id, clients };
}

async function signInMany(stack: ChaosStack, oidcIssuer: string, prefix: string, count: number): Promise<Person[]> {
  const mint = await accessTokenMinter(stack.privateKeyPem);
  const people: Person[] = [];
  for (let start = 0; start < count; start += SIGN_IN_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SIGN_IN_CONCURRENCY, count - start) }, (_, index) =>
      signIn(stack, oidcIssuer, mint, `${prefix}${start + index + 1}`),
    );
    people.push(...(await Promise.all(batch)));
  }
  return people;
}

/**
 * Signs the senders and subscribers in (real accounts, so `sender { displayName }` resolves) and makes the group
 * chats: person `i` goes to chat `i mod chats`, and each chat's first sender creates it with the others in it.
 */
export async function populate(stack: ChaosStack, oidcIssuer: string, load: LoadOptions): Promise<ChaosChat[]> {
  if (load.senders < load.chats)
    throw new Error(`Each of the ${load.chats} chats needs a sender; there are ${load.senders}.`);
  const senders = await signInMany(stack, oidcIssuer, 'Sender', load.senders);
  const subscribers = await signInMany(stack, oidcIssuer, 'Listener', load.subscribers);
  const inChat = (people: Person[], chat: number) => people.filter((_, index) => index % load.chats === chat);
  return Promise.all(
    Array.from({ length: load.chats }, async (_, chat) => {
      const [owner, ...others] = inChat(senders, chat) as [Person, ...Person[]];
      const listeners = inChat(subscribers, chat);
      const { createGroupChat } = await owner.clients[0]!.request(CreateGroupChatDocument, {
        name: `Chaos ${chat + 1}`,
        memberIds: [...others, ...listeners].map((person) => person.userId),
      });
      return { id: createGroupChat.id, senders: [owner, ...others], subscribers: listeners };
    }),
  );
}
