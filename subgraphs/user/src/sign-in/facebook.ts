import { unauthenticated } from '@letstalk/errors';
import type { Logger } from '@letstalk/log';
import { PROVIDER_TIMEOUT_MS } from '../limits.ts';
import type { ExternalIdentity } from '../data/user-repository.ts';

export interface FacebookApp {
  appId: string;
  appSecret: string;
  graphUrl: string;
}

/**
 * Verifies a Facebook user access token: `debug_token` (with the app token) proves it was issued to this
 * app and is valid; `/me` gives the profile. Facebook emails are not treated as verified, so a Facebook
 * sign-in never joins an existing account by email.
 */
export function createFacebookVerifier(app: FacebookApp, log: Logger) {
  const base = app.graphUrl.replace(/\/$/, '');

  async function graph(path: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const url = `${base}${path}?${new URLSearchParams(params).toString()}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS), redirect: 'error' });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      log.info({ path, status: response.status }, 'Facebook Graph API refused the token');
      throw unauthenticated('The Facebook access token is invalid or has expired.');
    }
    return body;
  }

  return async function verifyFacebookToken(accessToken: string): Promise<ExternalIdentity> {
    const debug = await graph('/debug_token', {
      input_token: accessToken,
      access_token: `${app.appId}|${app.appSecret}`,
    });
    const data = (debug.data ?? {}) as { is_valid?: boolean; app_id?: string; user_id?: string };
    if (data.is_valid !== true || String(data.app_id) !== app.appId || !data.user_id) {
      throw unauthenticated('The Facebook access token is invalid or was issued to another app.');
    }
    const me = await graph('/me', { fields: 'id,first_name,last_name', access_token: accessToken });
    if (String(me.id) !== String(data.user_id)) throw unauthenticated('The Facebook access token is inconsistent.');
    return {
      provider: 'facebook',
      subject: String(me.id),
      firstName: typeof me.first_name === 'string' ? me.first_name : undefined,
      lastName: typeof me.last_name === 'string' ? me.last_name : undefined,
    };
  };
}
