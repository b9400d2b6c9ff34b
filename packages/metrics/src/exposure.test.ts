import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerMatches, metricsHandler, metricsPlacement, startMetricsListener } from './exposure.ts';
import { onScrape } from './registry.ts';
import { rateLimitRefusals } from './requests.ts';

const TOKEN = 'a-token-of-some-length';
const env = (values: Partial<Parameters<typeof metricsPlacement>[0]> = {}) => ({
  NODE_ENV: 'production',
  METRICS_HOST: '127.0.0.1',
  ...values,
});

describe('metricsPlacement', () => {
  it('serves on the process port, guarded when a token is set', () => {
    expect(metricsPlacement(env(), { public: false })).toEqual({ onMainPort: true });
    expect(metricsPlacement(env({ METRICS_TOKEN: TOKEN }), { public: false })).toEqual({
      onMainPort: true,
      token: TOKEN,
    });
  });

  it('serves on a listener of its own, and only there, when METRICS_PORT is set', () => {
    expect(metricsPlacement(env({ METRICS_PORT: 9464, METRICS_HOST: '0.0.0.0' }), { public: true })).toEqual({
      onMainPort: false,
      ownListener: { host: '0.0.0.0', port: 9464 },
    });
    expect(metricsPlacement(env({ METRICS_PORT: 0, METRICS_TOKEN: TOKEN }), { public: false })).toEqual({
      onMainPort: false,
      ownListener: { host: '127.0.0.1', port: 0 },
      token: TOKEN,
    });
  });

  it('keeps a public process in production from serving it openly, and says why', () => {
    const placement = metricsPlacement(env(), { public: true });
    expect(placement.onMainPort).toBe(false);
    expect(placement.ownListener).toBeUndefined();
    expect(placement.warning).toMatch(/METRICS_TOKEN.*METRICS_PORT/);
    expect(metricsPlacement(env({ METRICS_TOKEN: TOKEN }), { public: true })).toEqual({
      onMainPort: true,
      token: TOKEN,
    });
    expect(metricsPlacement(env({ NODE_ENV: 'development' }), { public: true })).toEqual({ onMainPort: true });
    expect(metricsPlacement(env({ NODE_ENV: 'test' }), { public: true })).toEqual({ onMainPort: true });
  });
});

describe('bearerMatches', () => {
  it('accepts exactly the token', () => {
    expect(bearerMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(bearerMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    for (const sent of [
      undefined,
      '',
      'Bearer ',
      TOKEN,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
    ]) {
      expect(bearerMatches(sent, TOKEN)).toBe(false);
    }
  });
});

describe('metricsHandler', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    const handle = metricsHandler(TOKEN);
    server = http.createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers 401 without the token, and the registry with it', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-but-long-enough' }] as Record<string, string>[]) {
      const refused = await fetch(url, { headers });
      expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
      expect(await refused.text()).not.toContain('letstalk_');
    }
    rateLimitRefusals.inc({ limit: 'exposure-test' });
    const answered = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await answered.text();
    expect(body).toContain('letstalk_rate_limit_refusals_total{limit="exposure-test"} 1');
    expect(body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect((await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
  });

  it('runs scrape-time readings first, and answers although one fails', async () => {
    let reads = 0;
    const stops = [
      onScrape(() => {
        reads += 1;
        rateLimitRefusals.inc({ limit: 'read-at-scrape' });
      }),
      onScrape(() => {
        throw new Error('broken reading');
      }),
    ];
    try {
      const body = await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      expect(reads).toBe(1);
      expect(body).toContain('letstalk_rate_limit_refusals_total{limit="read-at-scrape"} 1');
    } finally {
      for (const stop of stops) stop();
    }
    await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(reads).toBe(1);
  });
});

describe('startMetricsListener', () => {
  it('serves /metrics only, unguarded without a token', async () => {
    const listener = await startMetricsListener('127.0.0.1', 0);
    try {
      const origin = `http://127.0.0.1:${listener.port}`;
      expect((await fetch(`${origin}/metrics`)).status).toBe(200);
      expect((await fetch(`${origin}/metrics?x=1`)).status).toBe(200);
      expect((await fetch(`${origin}/healthz`)).status).toBe(404);
      expect((await fetch(`${origin}/`)).status).toBe(404);
    } finally {
      await listener.close();
    }
  });
});
