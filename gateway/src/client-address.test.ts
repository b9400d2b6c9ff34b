import { Socket } from 'node:net';
import { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

function request(peer: string, forwardedFor?: string): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: peer });
  const req = new IncomingMessage(socket);
  if (forwardedFor !== undefined) req.headers['x-forwarded-for'] = forwardedFor;
  return req;
}

describe('clientAddress', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientAddress(0)(request('127.0.0.1', '203.0.113.7'))).toBe('127.0.0.1');
  });

  it('takes the address one hop back behind one trusted proxy, not one the client wrote earlier', () => {
    expect(clientAddress(1)(request('127.0.0.1', '198.51.100.1, 203.0.113.7'))).toBe('203.0.113.7');
  });

  it('goes as many hops back as are trusted, and no further than the header reaches', () => {
    expect(clientAddress(2)(request('127.0.0.1', '198.51.100.1, 203.0.113.7'))).toBe('198.51.100.1');
    expect(clientAddress(5)(request('127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
  });

  it('uses the peer when the header is missing', () => {
    expect(clientAddress(1)(request('::1'))).toBe('::1');
  });
});
