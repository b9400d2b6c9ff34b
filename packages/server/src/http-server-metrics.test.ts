import { describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.ts';

const TOKEN = 'metrics-token-for-tests';
const base = { NODE_ENV: 'production', METRICS_HOST: '127.0.0.1' };

/** Starts a server with `metrics`, runs `check` with its origin (and metrics port), and stops it. */
async function withServer(
  metrics: Parameters<typeof createHttpServer>[0]['metrics'],
  check: (origin: string, metricsPort: number | undefined) => Promise<void>,
) {
  const http = createHttpServer({ name: 'test', readiness: {}, ...(metrics ? { metrics } : {}) });
  const { origin, metricsPort } = await http.listen('127.0.0.1', 0);
  try {
    await check(origin, metricsPort);
  } finally {
    await http.stop();
  }
  return http;
}

describe('createHttpServer /metrics', () => {
  it('serves it on the process port of an internal process', async () => {
    await withServer({ env: base }, async (origin, metricsPort) => {
      expect(metricsPort).toBeUndefined();
      const response = await fetch(`${origin}/metrics`);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^# HELP letstalk_/m);
    });
  });

  it('answers only the token when METRICS_TOKEN is set', async () => {
    await withServer({ env: { ...base, METRICS_TOKEN: TOKEN }, public: true }, async (origin) => {
      expect((await fetch(`${origin}/metrics`)).status).toBe(401);
      const answered = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(answered.status).toBe(200);
    });
  });

  it('serves it on its own listener only, with METRICS_PORT, and closes that with the server', async () => {
    let port: number | undefined;
    await withServer({ env: { ...base, METRICS_PORT: 0 }, public: true }, async (origin, metricsPort) => {
      port = metricsPort;
      expect(metricsPort).toBeGreaterThan(0);
      expect((await fetch(`${origin}/metrics`)).status).toBe(404);
      expect((await fetch(`${origin}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
    });
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('keeps it off the public port of the gateway in production without a token, with one warning', async () => {
    const warnings: string[] = [];
    await withServer({ env: base, public: true, warn: (message) => warnings.push(message) }, async (origin) => {
      expect((await fetch(`${origin}/metrics`)).status).toBe(404);
    });
    expect(warnings).toEqual([expect.stringMatching(/METRICS_TOKEN.*METRICS_PORT/)]);
  });

  it('serves nothing when not asked to', async () => {
    await withServer(undefined, async (origin) => {
      expect((await fetch(`${origin}/metrics`)).status).toBe(404);
    });
  });
});
