import { describe, expect, it } from 'vitest';
import { ConfigError } from '@letstalk/config';
import { loadPreviewWorkerEnv } from './env.ts';

describe('PREVIEW_DNS_SERVERS', () => {
  it('is unset by default, so the worker asks the system’s name servers', () => {
    expect(loadPreviewWorkerEnv({ NODE_ENV: 'test' }).PREVIEW_DNS_SERVERS).toBeUndefined();
    expect(loadPreviewWorkerEnv({ NODE_ENV: 'test', PREVIEW_DNS_SERVERS: '' }).PREVIEW_DNS_SERVERS).toBeUndefined();
  });

  it('takes a comma-separated list of addresses with optional ports', () => {
    expect(
      loadPreviewWorkerEnv({ NODE_ENV: 'test', PREVIEW_DNS_SERVERS: '127.0.0.1:5353, 10.0.0.2,[fd00::53]:53,fd00::54' })
        .PREVIEW_DNS_SERVERS,
    ).toEqual(['127.0.0.1:5353', '10.0.0.2', '[fd00::53]:53', 'fd00::54']);
  });

  it.each(['dns.example:53', '127.0.0.1:0', '127.0.0.1:70000', '[127.0.0.1]:53', ' , '])(
    'refuses %j at boot',
    (value) => {
      expect(() => loadPreviewWorkerEnv({ NODE_ENV: 'test', PREVIEW_DNS_SERVERS: value })).toThrow(ConfigError);
    },
  );
});
