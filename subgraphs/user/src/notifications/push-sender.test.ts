import { createECDH, randomBytes } from 'node:crypto';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { startDecoyListener } from '@letstalk/testing';
import { notificationText } from './notifier.ts';
import type { PendingRow } from './pending.ts';
import { createPushSender } from './push-sender.ts';

const ecdh = createECDH('prime256v1');
ecdh.generateKeys();
const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:test@example.test' };

describe('createPushSender', () => {
  it('never connects to an endpoint whose name resolves to a private address, nor to one not https', async () => {
    const decoy = await startDecoyListener();
    try {
      const resolved: string[] = [];
      const send = createPushSender({
        vapid,
        allowHosts: [],
        resolve: async (host) => {
          resolved.push(host);
          return ['127.0.0.1', '10.0.0.8'];
        },
      });
      const endpoint = `https://push.example.test:${decoy.port}/x`;
      expect(await send({ endpoint, ...keys }, '{}', 'topic')).toBe('failed');
      expect(await send({ endpoint: 'https://push.example.test/x', ...keys }, '{}', 'topic')).toBe('failed');
      expect(await send({ endpoint: `http://${decoy.host}:${decoy.port}/x`, ...keys }, '{}', 'topic')).toBe('failed');
      expect(resolved).toEqual(['push.example.test']);
      expect(decoy.connections()).toBe(0);
    } finally {
      await decoy.close();
    }
  });
});

describe('notificationText', () => {
  const row = (over: Partial<PendingRow>): PendingRow => ({
    userId: 'u',
    chatId: 'c',
    firstSeq: 4,
    lastSeq: 4,
    senderId: 's',
    chatKind: 'DIRECT',
    chatName: null,
    excerpt: 'hi',
    attachment: null,
    firstAt: new Date(),
    dueAt: new Date(),
    ...over,
  });

  it('names the sender of a direct chat, the group and sender of a group, and says what is attached', () => {
    expect(notificationText(row({}), 'Ada', true)).toEqual({ title: 'Ada', body: 'hi' });
    expect(notificationText(row({ excerpt: null, attachment: 'IMAGE' }), 'Ada', true).body).toBe('📷 Photo');
    expect(notificationText(row({ excerpt: null, attachment: 'FILE', lastSeq: 6 }), 'Ada', true).body).toBe(
      '📎 File (+2 more)',
    );
    expect(notificationText(row({ chatKind: 'GROUP', chatName: 'Team' }), 'Ada', true)).toEqual({
      title: 'Team',
      body: 'Ada: hi',
    });
  });

  it('says only that something came when previews are off', () => {
    expect(notificationText(row({ lastSeq: 5 }), 'Ada', false)).toEqual({ title: 'LetsTalk', body: '2 new messages' });
    expect(notificationText(row({}), 'Ada', false)).toEqual({ title: 'LetsTalk', body: 'New message' });
  });
});
