import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError, databaseUrl, flag, listenEnv, loadConfig, port, subgraphEnv, z } from './index.ts';

const shape = { PORT: port(4000), DATABASE_URL: databaseUrl, VERBOSE: flag(false), NAME: z.string().min(2) };

describe('loadConfig', () => {
  it('applies defaults and treats empty values as unset', () => {
    expect(loadConfig('svc', shape, { PORT: '', NAME: 'ok', VERBOSE: '1' })).toEqual({
      PORT: 4000,
      DATABASE_URL: 'mysql://root@127.0.0.1:3306',
      VERBOSE: true,
      NAME: 'ok',
    });
  });

  it('reports every invalid variable at once', () => {
    let error: unknown;
    try {
      loadConfig('svc', shape, { PORT: '99999', DATABASE_URL: 'mysql://h/db', VERBOSE: 'maybe', NAME: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'VERBOSE', 'NAME']) expect(issues).toContain(name);
    expect((error as ConfigError).message).toContain('Invalid configuration for svc');
  });
});

describe('subgraphEnv', () => {
  it("names a subgraph's own variables after its prefix, beside the ones every service reads", () => {
    const env = loadConfig('svc', { ...subgraphEnv('USER', 4001), ...listenEnv('USER_WORKER', 4011) }, {});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      AUTH_ISSUER: 'letstalk',
      NATS_URL: 'nats://127.0.0.1:4222',
      DATABASE_URL: 'mysql://root@127.0.0.1:3306',
      USER_HOST: '127.0.0.1',
      USER_PORT: 4001,
      USER_DATABASE: 'letstalk_user',
      USER_WORKER_HOST: '127.0.0.1',
      USER_WORKER_PORT: 4011,
    });
    expectTypeOf(env.USER_PORT).toEqualTypeOf<number>();
    expectTypeOf(env.USER_DATABASE).toEqualTypeOf<string>();
    expect(() => loadConfig('svc', subgraphEnv('USER', 4001), { USER_DATABASE: 'no-dashes' })).toThrow(ConfigError);
  });
});
