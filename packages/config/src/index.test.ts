import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError, databaseUrl, flag, listenEnv, loadConfig, port, subgraphEnv, workerEnv, z } from './index.ts';

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

describe('production', () => {
  const rules = { requiredInProduction: { DATABASE_URL: 'with a password', NAME: 'any name' } };
  const shape = { ...workerEnv('MEDIA', 4013), NAME: z.string().optional() };

  it('is what a process runs as unless NODE_ENV says otherwise, and then needs each required variable set', () => {
    let error: unknown;
    try {
      loadConfig('svc', shape, { MEDIA_WORKER_PORT: 'x' }, rules);
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).issues).toEqual([
      'DATABASE_URL: required in production (with a password)',
      'NAME: required in production (any name)',
      expect.stringMatching(/^MEDIA_WORKER_PORT: /),
    ]);
    expect(loadConfig('svc', shape, { NODE_ENV: 'test' }, rules)).toMatchObject({
      NODE_ENV: 'test',
      DATABASE_URL: 'mysql://root@127.0.0.1:3306',
      MEDIA_DATABASE: 'letstalk_media',
      MEDIA_WORKER_PORT: 4013,
    });
  });

  it('reports the cross-variable rules with the rest', () => {
    const check = (config: { NAME?: string | undefined }) => (config.NAME === 'bad' ? ['NAME: not that one'] : []);
    expect(() => loadConfig('svc', shape, { NAME: 'bad' }, { ...rules, check })).toThrow(
      /DATABASE_URL: required in production[\s\S]*NAME: not that one/,
    );
  });
});

describe('subgraphEnv', () => {
  it("names a subgraph's own variables after its prefix, beside the ones every service reads", () => {
    const env = loadConfig('svc', { ...subgraphEnv('USER', 4001), ...listenEnv('USER_WORKER', 4011) }, {});
    expect(env).toMatchObject({
      NODE_ENV: 'production',
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
