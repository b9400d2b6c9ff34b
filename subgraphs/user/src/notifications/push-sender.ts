import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import webpush from 'web-push';
import { AddressPolicy, createDnsResolver, type Resolver } from '@letstalk/safe-fetch';
import { PUSH_TIMEOUT_MS, PUSH_TTL_SECONDS } from '../limits.ts';
import type { VapidKeys } from './push-env.ts';

/** How a push went: delivered to the push service, gone (the browser unsubscribed: forget it), or failed. */
export type PushOutcome = 'sent' | 'gone' | 'failed';

/**
 * Sends Web Push messages (RFC 8030, encrypted with RFC 8291, signed with VAPID RFC 8292: the `web-push` library
 * makes the request) to endpoints people registered, which are untrusted: each is resolved here and posted to only
 * when the address is public (or its host is in PUSH_ALLOW_HOSTS), over a connection pinned to that checked
 * address, so a name that resolves to an internal address, or changes to one, is never reached.
 */
export function createPushSender(options: { vapid: VapidKeys; allowHosts: readonly string[]; resolve?: Resolver }) {
  const policy = new AddressPolicy(options.allowHosts);
  const resolve = options.resolve ?? createDnsResolver();
  return async (
    subscription: { endpoint: string; p256dh: string; auth: string },
    payload: string,
    topic: string,
  ): Promise<PushOutcome> => {
    const details = webpush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      payload,
      {
        vapidDetails: options.vapid,
        TTL: PUSH_TTL_SECONDS,
        topic,
        urgency: 'normal',
        contentEncoding: 'aes128gcm',
      },
    );
    const url = new URL(details.endpoint);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (url.protocol !== 'https:' && !policy.isListed(host)) return 'failed';
    if (!policy.checkPort(host, port).allowed) return 'failed';
    const signal = AbortSignal.timeout(PUSH_TIMEOUT_MS);
    const addresses = isIP(host) ? [host] : await resolve(host, signal).catch(() => []);
    const address = addresses.find((candidate) => policy.checkResolved(host, candidate).allowed);
    if (!address) return 'failed';
    const family = isIP(address);
    // The connection goes to the address checked above, whatever the name resolves to by then.
    const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      if ((lookupOptions as { all?: boolean }).all)
        (callback as (e: null, a: object[]) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const dispatcher = new Agent({ connect: { lookup, timeout: PUSH_TIMEOUT_MS } });
    try {
      const response = await request(url, {
        method: 'POST',
        headers: details.headers as Record<string, string>,
        body: details.body ?? undefined,
        dispatcher,
        signal,
      });
      await response.body.dump();
      if (response.statusCode === 404 || response.statusCode === 410) return 'gone';
      return response.statusCode >= 200 && response.statusCode < 300 ? 'sent' : 'failed';
    } catch {
      return 'failed';
    } finally {
      await dispatcher.close();
    }
  };
}
