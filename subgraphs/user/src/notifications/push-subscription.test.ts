import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_PUSH_ENDPOINT_LENGTH } from '../limits.ts';
import { checkPushSubscription } from './push-subscription.ts';

const ecdh = createECDH('prime256v1');
ecdh.generateKeys();
const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    const { code, field } = (error as { extensions: { code: string; field: string } }).extensions;
    return `${code} ${field}`;
  }
};

describe('checkPushSubscription', () => {
  it('takes a browser push service endpoint with its keys', () => {
    const endpoint = 'https://fcm.googleapis.com/fcm/send/abc:def';
    expect(checkPushSubscription({ endpoint, ...keys }, [])).toEqual({ endpoint, ...keys });
    // Padded base64 as some browsers write it is the same key.
    const padded = { ...keys, auth: randomBytes(16).toString('base64') };
    expect(codeOf(() => checkPushSubscription({ endpoint, ...padded }, []))).toBe('accepted');
  });

  it('refuses endpoints the server should never post to', () => {
    for (const endpoint of [
      'http://updates.push.services.mozilla.com/wpush/v2/x',
      'https://127.0.0.1/push',
      'https://10.0.0.8/push',
      'https://[::1]/push',
      'https://169.254.169.254/latest',
      'https://localhost/push',
      'https://user:secret@push.example.com/x',
      'ftp://push.example.com/x',
      'not a url',
      `https://push.example.com/${'x'.repeat(MAX_PUSH_ENDPOINT_LENGTH)}`,
    ])
      expect(
        codeOf(() => checkPushSubscription({ endpoint, ...keys }, [])),
        endpoint,
      ).toBe('BAD_USER_INPUT endpoint');
  });

  it('lets PUSH_ALLOW_HOSTS name a host that is not public, over http too (a fake push service in tests)', () => {
    const endpoint = 'http://127.0.0.1:4567/push/abc';
    expect(codeOf(() => checkPushSubscription({ endpoint, ...keys }, ['127.0.0.1']))).toBe('accepted');
    expect(codeOf(() => checkPushSubscription({ endpoint, ...keys }, ['10.0.0.1']))).toBe('BAD_USER_INPUT endpoint');
  });

  it('checks the sizes of the keys', () => {
    const endpoint = 'https://push.example.com/x';
    const compressed = ecdh.getPublicKey(undefined, 'compressed').toString('base64url');
    expect(codeOf(() => checkPushSubscription({ endpoint, ...keys, p256dh: compressed }, []))).toBe(
      'BAD_USER_INPUT p256dh',
    );
    expect(codeOf(() => checkPushSubscription({ endpoint, ...keys, p256dh: '***' }, []))).toBe('BAD_USER_INPUT p256dh');
    const short = randomBytes(8).toString('base64url');
    expect(codeOf(() => checkPushSubscription({ endpoint, ...keys, auth: short }, []))).toBe('BAD_USER_INPUT auth');
  });
});
