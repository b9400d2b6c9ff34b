import { randomBytes } from 'node:crypto';
import { listenOnLoopback, postJson, sendJson } from './http.ts';

export interface FacebookUser {
  id: string;
  first_name?: string;
  last_name?: string;
  /** The app the token is issued to; defaults to the fake's own app. */
  app_id?: string;
}

/**
 * A stand-in for the Facebook Graph API: `/debug_token` and `/me` like the real one, answering for
 * tokens minted on `POST /test/token`. Any other token is invalid.
 */
export async function startFakeGraphApi(options: { appId: string; appSecret: string }) {
  const tokens = new Map<string, FacebookUser>();
  const server = await listenOnLoopback((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname === '/test/token' && req.method === 'POST') {
      const token = `EAA${randomBytes(24).toString('hex')}`;
      tokens.set(token, JSON.parse(body) as FacebookUser);
      sendJson(res, 200, { token });
    } else if (url.pathname === '/debug_token') {
      if (url.searchParams.get('access_token') !== `${options.appId}|${options.appSecret}`) {
        sendJson(res, 400, { error: { message: 'Invalid OAuth access token.', code: 190 } });
        return;
      }
      const user = tokens.get(url.searchParams.get('input_token') ?? '');
      sendJson(res, 200, {
        data: user
          ? { is_valid: true, app_id: user.app_id ?? options.appId, user_id: user.id }
          : { is_valid: false, error: { code: 190, message: 'Invalid token' } },
      });
    } else if (url.pathname === '/me') {
      const user = tokens.get(url.searchParams.get('access_token') ?? '');
      if (!user) sendJson(res, 400, { error: { message: 'Invalid OAuth access token.', code: 190 } });
      else sendJson(res, 200, { id: user.id, first_name: user.first_name, last_name: user.last_name });
    } else {
      sendJson(res, 404, { error: 'not found' });
    }
  });
  return {
    url: server.url,
    ...options,
    issueToken: async (user: FacebookUser) => requestFacebookToken(server.url, user),
    close: server.close,
  };
}

export async function requestFacebookToken(graphUrl: string, user: FacebookUser): Promise<string> {
  return (await postJson<{ token: string }>(`${graphUrl}/test/token`, user)).token;
}
