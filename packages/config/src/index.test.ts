import { describe, expect, it } from 'vitest';
import { ConfigError, databaseUrl, flag, loadConfig, port, z } from './index.ts';

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
