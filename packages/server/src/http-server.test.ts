import { describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.ts';

describe('createHttpServer', () => {
  it('answers /healthz, and /readyz with every check and 503 while one fails', async () => {
    let natsUp = false;
    const http = createHttpServer({
      name: 'test',
      readiness: { database: async () => true, nats: async () => natsUp },
    });
    const { origin } = await http.listen('127.0.0.1', 0);
    try {
      const health = await fetch(`${origin}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok', service: 'test' }]);
      const notReady = await fetch(`${origin}/readyz`);
      expect([notReady.status, await notReady.json()]).toEqual([
        503,
        { status: 'not ready', service: 'test', checks: { database: true, nats: false } },
      ]);
      natsUp = true;
      const ready = await fetch(`${origin}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([
        200,
        { status: 'ready', service: 'test', checks: { database: true, nats: true } },
      ]);
    } finally {
      await http.stop();
    }
    expect(http.server.listening).toBe(false);
  });

  it('asks a readiness function for its checks on each request', async () => {
    const checks: Record<string, () => Promise<boolean>> = {};
    const http = createHttpServer({ name: 'test', readiness: () => checks });
    const { origin } = await http.listen('127.0.0.1', 0);
    try {
      expect(await (await fetch(`${origin}/readyz`)).json()).toMatchObject({ status: 'ready', checks: {} });
      checks.late = async () => false;
      const ready = await fetch(`${origin}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([
        503,
        { status: 'not ready', service: 'test', checks: { late: false } },
      ]);
    } finally {
      await http.stop();
    }
  });

  it('hands GraphQL requests to their handler, the rest to express, after the screen', async () => {
    const http = createHttpServer({
      name: 'test',
      readiness: {},
      screen: (req, res) => req.headers['x-refuse'] === 'yes' && (res.writeHead(400).end(), true),
    });
    http.app.get('/other', (_req, res) => void res.send('express'));
    let stopped = false;
    http.serveGraphql((_req, res) => res.end('graphql'), { stop: async () => void (stopped = true) });
    const { origin } = await http.listen('127.0.0.1', 0);
    try {
      expect(await (await fetch(`${origin}/graphql?query=x`)).text()).toBe('graphql');
      expect(await (await fetch(`${origin}/other`)).text()).toBe('express');
      expect((await fetch(`${origin}/other`, { headers: { 'x-refuse': 'yes' } })).status).toBe(400);
    } finally {
      await http.stop();
    }
    expect([stopped, http.server.listening]).toEqual([true, false]);
  });
});
