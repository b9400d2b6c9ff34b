import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawHttpRequest, startDecoyListener } from '@letstalk/testing';

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
    ['an absolute-form image URL on another host', () => `http://${decoy.host}:${decoy.port}/media/${IMAGE_ID}/original?expires=9999999999&signature=${SIGNATURE}`],
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
    ['percent-encoded slashes', `/media/${IMAGE_ID}%2f..%2f..%2freadyz/original?expires=9999999999&signature=${SIGNATURE}`],
  ])('answers an image path with %s 404, never another route of the media subgraph', async (_case, target) => {
    const answer = await rawHttpRequest(origin(), target);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('"service"');
  });

  it('passes a well-formed image URL to the media subgraph, which checks its signature', async () => {
    const answer = await rawHttpRequest(origin(), `/media/${IMAGE_ID}/original?expires=9999999999&signature=${SIGNATURE}`);
    expect(answer.status).toBe(403);
  });
});
