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

  it('tells the gateways who the client is, and caps a client network’s sockets over all of them', () => {
    const gateways = (forwarded: boolean) =>
      haproxyConfig([
        {
          name: 'gateway',
          port: 4000,
          servers: [{ name: 'gateway-1', port: 4100 }],
          clients: { maxSockets: 100, forwarded },
        },
      ]);
    expect(gateways(false)).toContain('  option forwardfor\n');
    expect(gateways(false)).toContain('http-request track-sc0 src,ipmask(32,64) if websocket');
    expect(gateways(true)).toContain(
      'http-request track-sc0 req.hdr_ip(x-forwarded-for,-1),ipmask(32,64) if websocket',
    );
    expect(gateways(true)).toContain('http-request deny deny_status 429 if websocket { sc0_conn_cur gt 100 }');
    expect(config).not.toContain('forwardfor');
  });

  it('fails open: with every instance unready, requests still go to them all (their backups are unchecked)', () => {
    expect(config).toContain('option allbackups');
    expect(config).toContain('server gateway-1-open 127.0.0.1:4100 backup\n');
    expect(config).toContain('server gateway-2-open 127.0.0.1:4101 backup\n');
  });

  it('retries only a refused connection (no request runs twice), and keeps WebSockets open', () => {
    expect(config).toMatch(/^ {2}retry-on conn-failure$/m);
    expect(config).toContain('timeout tunnel 1h');
  });
});
