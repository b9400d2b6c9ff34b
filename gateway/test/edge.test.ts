import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { rawHttpRequest, startDecoyListener } from '@letstalk/testing';
import { uniqueIp } from './helpers.ts';

const origin = () => inject('gatewayUrl').replace(/\/graphql$/, '');
const IMAGE_ID = '2b1c2b1e-7d2f-4c8e-9a59-3f1d8c0f9e11';
const SIGNATURE = 'A'.repeat(43);

describe('the gateway is no proxy: hand-written request targets reach only what they name', () => {
  let decoy: Awaited<ReturnType<typeof startDecoyListener>>;
  beforeAll(async () => {
    decoy = await startDecoyListener();
  });
  afterAll(() => decoy.close());

  it.each([
    [
      'an absolute-form image URL on another host',
      () => `http://${decoy.host}:${decoy.port}/media/${IMAGE_ID}/original?expires=9999999999&signature=${SIGNATURE}`,
    ],
    ['an absolute-form target that climbs out of /media', () => `http://${decoy.host}:${decoy.port}/media/../..`],
    ['an absolute-form GraphQL target', () => `http://${decoy.host}:${decoy.port}/graphql?query=%7B__typename%7D`],
    ['an asterisk target', () => '*'],
  ])('refuses %s with 400 and connects nowhere', async (_case, target) => {
    const answer = await rawHttpRequest(origin(), target());
    expect(answer.status).toBe(400);
    expect(answer.body).not.toContain('decoy');
    expect(decoy.connections()).toBe(0);
  });

  it.each([
    ['backslashes', '/media/a/b\\..\\..\\..\\readyz'],
    ['percent-encoded dots', `/media/${IMAGE_ID}/%2e%2e%2f%2e%2e%2freadyz?expires=9999999999&signature=${SIGNATURE}`],
    [
      'percent-encoded slashes',
      `/media/${IMAGE_ID}%2f..%2f..%2freadyz/original?expires=9999999999&signature=${SIGNATURE}`,
    ],
  ])('answers an image path with %s 404, never another route of the media subgraph', async (_case, target) => {
    const answer = await rawHttpRequest(origin(), target);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('"service"');
  });

  it('passes a well-formed image URL to the media subgraph, which checks its signature', async () => {
    const answer = await rawHttpRequest(
      origin(),
      `/media/${IMAGE_ID}/original?expires=9999999999&signature=${SIGNATURE}`,
    );
    expect(answer.status).toBe(403);
  });
});

describe('connection caps', () => {
  /** Opens a graphql-ws socket from `ip` (the gateway trusts one proxy hop here); the upgrade's status when refused. */
  const open = (ip: string) =>
    new Promise<{ socket: WebSocket; refused?: number }>((resolve, reject) => {
      const socket = new WebSocket(inject('gatewayUrl').replace(/^http/, 'ws'), 'graphql-transport-ws', {
        headers: { 'x-forwarded-for': ip },
      });
      socket.once('open', () => resolve({ socket }));
      socket.once('unexpected-response', (_request, response) => resolve({ socket, refused: response.statusCode }));
      socket.once('error', reject);
    });

  it('refuses a client network its socket over the cap, before any sign-in, counting an IPv6 /64 as one, and takes one again once one closes', async () => {
    const max = Number(inject('stackEnv').GATEWAY_MAX_WS_CONNECTIONS_PER_IP);
    // Every socket from another address of one /64, as a client given a whole /64 could open them.
    const prefix = `2001:db8:${randomInt(0x10000).toString(16)}:${randomInt(0x10000).toString(16)}`;
    const address = (index: number) => `${prefix}:${(index >> 16).toString(16)}:${(index & 0xffff).toString(16)}:1:1`;
    const sockets = await Promise.all(Array.from({ length: max }, (_, index) => open(address(index))));
    try {
      expect(sockets.filter((each) => each.refused !== undefined)).toEqual([]);
      expect((await open(address(max))).refused).toBe(429);
      const other = await open(uniqueIp());
      expect(other.refused).toBeUndefined();
      other.socket.close();
      await new Promise((closed) => {
        sockets[0]!.socket.once('close', closed);
        sockets[0]!.socket.close();
      });
      await expect
        .poll(
          async () => {
            const again = await open(address(max + 1));
            again.socket.close();
            return again.refused;
          },
          { timeout: 5_000, interval: 100 },
        )
        .toBeUndefined();
    } finally {
      for (const each of sockets) each.socket.close();
    }
  });
});
