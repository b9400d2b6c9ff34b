import { describe, expect, it } from 'vitest';
import { createLogger, REQUEST_ID_HEADER } from '@letstalk/log';
import { CLIENT_IP_HEADER } from '@letstalk/server';
import { ForwardingDataSource } from './data-source.ts';

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
