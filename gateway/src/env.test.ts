import { describe, expect, it } from 'vitest';
import { loadGatewayEnv } from './env.ts';

describe('gateway configuration', () => {
  it('turns the explorer and introspection on in development only', () => {
    expect(loadGatewayEnv({ NODE_ENV: 'development' })).toMatchObject({ explorer: true, introspection: true });
    expect(loadGatewayEnv({ NODE_ENV: 'production' })).toMatchObject({ explorer: false, introspection: false });
    expect(loadGatewayEnv({ NODE_ENV: 'production', EXPLORER: 'true' }).explorer).toBe(true);
  });

  it('allows any origin in development and none in production unless configured', () => {
    expect(loadGatewayEnv({ NODE_ENV: 'development' }).corsOrigins).toEqual(['*']);
    expect(loadGatewayEnv({ NODE_ENV: 'production' }).corsOrigins).toEqual([]);
    expect(
      loadGatewayEnv({ NODE_ENV: 'production', CORS_ORIGINS: 'https://a.test, https://b.test' }).corsOrigins,
    ).toEqual(['https://a.test', 'https://b.test']);
  });
});
