import { describe, expect, it } from 'vitest';
import { haproxyConfig } from './haproxy.ts';

describe('the scaled stack’s HAProxy configuration', () => {
  const config = haproxyConfig([
    {
      name: 'gateway',
      port: 4000,
      servers: [
        { name: 'gateway-1', port: 4100 },
        { name: 'gateway-2', port: 4101 },
      ],
    },
  ]);

  it('balances each service over its instances that answer /readyz, on loopback only', () => {
    expect(config).toContain('frontend gateway\n  bind 127.0.0.1:4000\n  default_backend gateway');
    expect(config).toContain('option httpchk GET /readyz');
    expect(config).toContain('server gateway-1 127.0.0.1:4100 check');
    expect(config).toContain('server gateway-2 127.0.0.1:4101 check');
    expect(config).not.toMatch(/bind (?!127\.0\.0\.1)/);
  });

  it('retries only a refused connection (no request runs twice), and keeps WebSockets open', () => {
    expect(config).toMatch(/^ {2}retry-on conn-failure$/m);
    expect(config).toContain('timeout tunnel 1h');
  });
});
