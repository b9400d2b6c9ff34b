import { randomInt, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { WebSocket } from 'ws';
import {
  createClient,
  RequestEmailCodeDocument,
  SignInWithEmailCodeDocument,
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
export function clientFor(accessToken?: () => string | undefined, ip = uniqueIp(), url = inject('gatewayUrl')): LetsTalkClient {
  return createClient({
    url,
    ...(accessToken ? { accessToken } : {}),
    webSocketImpl: WebSocket,
    headers: { 'x-forwarded-for': ip },
  });
}

/** Signs a new person up through the gateway with an emailed code, optionally naming them. */
export async function signUp(name?: { firstName: string; lastName: string }): Promise<Person> {
  const email = uniqueEmail();
  const ip = uniqueIp();
  const session = { accessToken: '' };
  const client = clientFor(() => session.accessToken || undefined, ip);
  await client.request(RequestEmailCodeDocument, { email });
  const code = await waitForCode(inject('inboxUrl'), email);
  const { signInWithEmailCode: auth } = await client.request(SignInWithEmailCodeDocument, { email, code });
  session.accessToken = auth.accessToken;
  if (name) await client.request(UpdateProfileDocument, { input: name });
  return { client, userId: auth.user.id, email, accessToken: auth.accessToken, refreshToken: auth.refreshToken };
}
