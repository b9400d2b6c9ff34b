import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createLogger, REQUEST_ID_HEADER } from '@letstalk/log';
import { CLIENT_IP_HEADER } from '@letstalk/server';
import { createSubgraphFetcher, ForwardingDataSource } from './data-source.ts';

describe('ForwardingDataSource', () => {
  it('passes the token, the request id and the client address to the subgraph', () => {
    const source = new ForwardingDataSource({ url: 'http://127.0.0.1:1/graphql' });
    const headers = new Headers({ authorization: 'Bearer from-a-previous-hop' });
    source.willSendRequest({
      request: { http: { method: 'POST', url: 'http://127.0.0.1:1/graphql', headers: headers as never } },
      context: {
        viewer: null,
        authorization: 'Bearer abc',
        requestId: 'req-1',
        clientIp: '203.0.113.9',
        log: createLogger({ service: 'test', level: 'silent', pretty: false }),
      },
    } as never);
    expect(headers.get('authorization')).toBe('Bearer abc');
    expect(headers.get(REQUEST_ID_HEADER)).toBe('req-1');
    expect(headers.get(CLIENT_IP_HEADER)).toBe('203.0.113.9');
  });

  it('sends no token for an anonymous caller', () => {
    const source = new ForwardingDataSource({ url: 'http://127.0.0.1:1/graphql' });
    const headers = new Headers();
    source.willSendRequest({
      request: { http: { method: 'POST', url: 'http://127.0.0.1:1/graphql', headers: headers as never } },
      context: {
        viewer: null,
        authorization: undefined,
        requestId: 'req-2',
        clientIp: '127.0.0.1',
        log: createLogger({ service: 'test', level: 'silent', pretty: false }),
      },
    } as never);
    expect(headers.get('authorization')).toBeNull();
    expect(headers.get(REQUEST_ID_HEADER)).toBe('req-2');
  });
});

describe('createSubgraphFetcher', () => {
  it('sends method, headers and body, and hands back status, headers and the whole body', async () => {
    const seen: { method?: string; token?: string; body?: string } = {};
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        Object.assign(seen, { method: req.method, token: req.headers.authorization, body });
        const status = body.includes('fail') ? 401 : 200;
        res.writeHead(status, { 'content-type': 'application/json', 'x-seen': 'yes' });
        res.end(JSON.stringify({ data: { echo: body } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const agent = new Agent();
    try {
      const fetcher = createSubgraphFetcher(agent);
      const ok = await fetcher(url, { method: 'POST', headers: { authorization: 'Bearer t' }, body: 'hello' });
      expect(seen).toEqual({ method: 'POST', token: 'Bearer t', body: 'hello' });
      expect([ok.status, ok.ok, ok.statusText, ok.headers.get('x-seen')]).toEqual([200, true, 'OK', 'yes']);
      expect(ok.headers.get('Content-Type')).toBe('application/json');
      expect(await ok.json()).toEqual({ data: { echo: 'hello' } });

      const refused = await fetcher(url, { method: 'POST', body: 'fail' });
      expect([refused.status, refused.ok, refused.statusText]).toEqual([401, false, 'Unauthorized']);
      expect(await refused.text()).toBe(JSON.stringify({ data: { echo: 'fail' } }));
    } finally {
      await agent.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('gives up on a subgraph that sends no answer, or stops sending its body, after its timeout', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/stalls-mid-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":');
      }
      // Otherwise: never answers at all.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const agent = new Agent();
    try {
      const fetcher = createSubgraphFetcher(agent, 500);
      for (const path of ['/silent', '/stalls-mid-body']) {
        const started = Date.now();
        const failure = await fetcher(`${base}${path}`, { method: 'POST', body: '{}' }).then(
          () => 'answered',
          (error: Error) => error.name,
        );
        expect({ path, failure }).toEqual({
          path,
          failure: path === '/silent' ? 'HeadersTimeoutError' : 'BodyTimeoutError',
        });
        expect(Date.now() - started).toBeLessThan(5_000);
      }
    } finally {
      await agent.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
