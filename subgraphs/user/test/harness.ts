import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@letstalk/log';
import { CLIENT_IP_HEADER } from '@letstalk/server';
import { startFakeGraphApi, startFakeOidcIssuer, startFakeSmtp, waitForCode, localServices } from '@letstalk/testing';
import { loadUserEnv } from '../src/env.ts';
import { startUserService } from '../src/service.ts';

export interface GraphQLResponse<Data = Record<string, any>> {
  status: number;
  data?: Data;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
  code?: string;
}

/**
 * The user subgraph started in-process against the real MariaDB and NATS, with a fake OIDC issuer, a
 * fake Facebook Graph API and a fake SMTP server, all on 127.0.0.1.
 */
export async function startUserHarness(extraEnv: Record<string, string> = {}) {
  const oidc = await startFakeOidcIssuer({ audience: 'letstalk-test-app' });
  const facebook = await startFakeGraphApi({ appId: '4242', appSecret: 'fake-app-secret' });
  const smtp = await startFakeSmtp();
  const env = loadUserEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    USER_PORT: '0',
    DATA_DIR: await mkdtemp(join(tmpdir(), 'letstalk-user-test-')),
    DATABASE_URL: localServices().databaseUrl,
    NATS_URL: localServices().natsUrl,
    AUTH_OIDC_PROVIDERS: JSON.stringify([{ name: 'test', issuer: oidc.issuer, audience: oidc.audience }]),
    AUTH_ALLOW_INSECURE_ISSUERS: 'true',
    FACEBOOK_APP_ID: facebook.appId,
    FACEBOOK_APP_SECRET: facebook.appSecret,
    FACEBOOK_GRAPH_URL: facebook.url,
    SMTP_URL: smtp.smtpUrl,
    // The notification worker runs only where a test asks for it (notifier.test.ts): the harnesses share the
    // database and its consumers, and each has its own fake SMTP server and settings.
    NOTIFIER_ENABLED: 'false',
    ...extraEnv,
  });
  const service = await startUserService(env, createLogger({ service: 'user', level: 'silent', pretty: false }));

  /** Posts an operation straight to the subgraph, as the gateway would. */
  async function call<Data = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: { token?: string; authorization?: string; ip?: string } = {},
  ): Promise<GraphQLResponse<Data>> {
    const response = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CLIENT_IP_HEADER]: options.ip ?? uniqueIp(),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.authorization ? { authorization: options.authorization } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLResponse<Data>;
    return { ...body, status: response.status, code: body.errors?.[0]?.extensions?.code };
  }

  /** Signs a new person up with an emailed code; returns their tokens and id. */
  async function signUpWithEmail(email = uniqueEmail()) {
    const ip = uniqueIp();
    await call(`mutation($email: String!) { requestEmailCode(email: $email) { email } }`, { email }, { ip });
    const code = await waitForCode(smtp.inboxUrl, email);
    const result = await call(
      `mutation($email: String!, $code: String!) { signInWithEmailCode(email: $email, code: $code) { ${AUTH_FIELDS} } }`,
      { email, code },
      { ip },
    );
    const auth = result.data?.signInWithEmailCode;
    if (!auth) throw new Error(`sign-up failed: ${JSON.stringify(result.errors)}`);
    return { email, ...auth, userId: auth.user.id as string } as {
      email: string;
      userId: string;
      accessToken: string;
      refreshToken: string;
      isNewUser: boolean;
    };
  }

  return {
    env,
    service,
    oidc,
    facebook,
    smtp,
    call,
    signUpWithEmail,
    close: async () => {
      await service.stop();
      await Promise.all([oidc.close(), facebook.close(), smtp.close()]);
    },
  };
}

const AUTH_FIELDS =
  'accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt isNewUser user { id firstName lastName displayName email }';

/** A per-test client address, so per-IP limits of one test never touch another (or a later run). */
export const uniqueIp = () => `test-${randomUUID()}`;
export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomUUID().slice(0, 12)}@example.test`;

/** The sign-in operations, as a client sends them. */
export const SIGN_IN_OIDC = `mutation($provider: String!, $idToken: String!) { signInWithOidc(provider: $provider, idToken: $idToken) { ${AUTH_FIELDS} } }`;
export const SIGN_IN_FACEBOOK = `mutation($token: String!) { signInWithFacebook(accessToken: $token) { ${AUTH_FIELDS} } }`;
export const REQUEST_CODE = `mutation($email: String!) { requestEmailCode(email: $email) { email codeLength expiresAt } }`;
export const SIGN_IN_CODE = `mutation($email: String!, $code: String!) { signInWithEmailCode(email: $email, code: $code) { ${AUTH_FIELDS} } }`;
export const REFRESH = `mutation($token: String!) { refreshSession(refreshToken: $token) { ${AUTH_FIELDS} } }`;
export const ME = `{ me { id displayName email } }`;
