import { describe, expect, it } from 'vitest';
import { ConfigError } from '@letstalk/config';
import { loadUserEnv, signInMethods } from './env.ts';

const providers = (issuer: string) => JSON.stringify([{ name: 'google', issuer, audience: 'client-id' }]);

describe('user subgraph configuration', () => {
  it('refuses an http:// issuer unless insecure issuers are allowed', () => {
    expect(() => loadUserEnv({ NODE_ENV: 'test', AUTH_OIDC_PROVIDERS: providers('http://127.0.0.1:9') })).toThrow(
      /AUTH_ALLOW_INSECURE_ISSUERS/,
    );
    const env = loadUserEnv({
      NODE_ENV: 'test',
      AUTH_OIDC_PROVIDERS: providers('http://127.0.0.1:9'),
      AUTH_ALLOW_INSECURE_ISSUERS: 'true',
    });
    expect(env.AUTH_OIDC_PROVIDERS[0]?.issuer).toBe('http://127.0.0.1:9');
    expect(
      loadUserEnv({ NODE_ENV: 'test', AUTH_OIDC_PROVIDERS: providers('https://accounts.google.com') })
        .AUTH_OIDC_PROVIDERS,
    ).toHaveLength(1);
  });

  it('requires a database URL and a signing key in production, and both Facebook settings together', () => {
    let error: unknown;
    try {
      loadUserEnv({ NODE_ENV: 'production', FACEBOOK_APP_ID: '1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.join('\n')).toMatch(
      /DATABASE_URL[\s\S]*AUTH_PRIVATE_KEY[\s\S]*FACEBOOK_APP_ID/,
    );
  });

  it('refuses providers that are not valid JSON', () => {
    expect(() => loadUserEnv({ NODE_ENV: 'test', AUTH_OIDC_PROVIDERS: '[{' })).toThrow(/JSON/);
  });

  it('knows when nobody could sign in: production without SMTP, OIDC or Facebook', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'mysql://u:p@db:3306', AUTH_PRIVATE_KEY: 'pem' };
    expect(signInMethods(loadUserEnv(production))).toEqual([]);
    expect(signInMethods(loadUserEnv({ ...production, SMTP_URL: 'smtp://mail:25' }))).toEqual(['email']);
    expect(signInMethods(loadUserEnv({ NODE_ENV: 'development' }))).toEqual(['email']);
  });

  it('takes both VAPID keys or neither, and no PUSH_ALLOW_HOSTS in production', () => {
    expect(() => loadUserEnv({ NODE_ENV: 'test', PUSH_VAPID_PUBLIC_KEY: 'abc' })).toThrow(/set both or neither/);
    expect(loadUserEnv({ NODE_ENV: 'test', PUSH_ALLOW_HOSTS: '127.0.0.1, ::1' }).PUSH_ALLOW_HOSTS).toEqual([
      '127.0.0.1',
      '::1',
    ]);
    expect(() =>
      loadUserEnv({
        NODE_ENV: 'production',
        DATABASE_URL: 'mysql://u:p@db:3306',
        AUTH_PRIVATE_KEY: 'pem',
        PUSH_ALLOW_HOSTS: '127.0.0.1',
      }),
    ).toThrow(/PUSH_ALLOW_HOSTS: for tests only/);
  });
});
