import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { listenOnLoopback, postJson, sendJson } from './http.ts';

export interface IdTokenRequest {
  sub?: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  /** Defaults to the audience the fake was started with. */
  aud?: string;
  /** Defaults to the fake's own issuer URL. */
  iss?: string;
  /** Seconds from now; negative for an expired token. Default 300. */
  expiresIn?: number;
  /** Sign with a key the issuer does not publish (a forged token). */
  forged?: boolean;
}

/**
 * A stand-in for an OpenID Connect provider (Google, Apple, ...): a real HTTP server on 127.0.0.1 that
 * serves discovery and a JWKS, and mints RS256 ID tokens on `POST /test/id-token` for the tests.
 */
export async function startFakeOidcIssuer(options: { audience: string }) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const forger = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let issuer = '';

  const sign = async (request: IdTokenRequest): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const { aud, iss, expiresIn, forged, ...claims } = request;
    return new SignJWT({ email_verified: true, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(request.sub ?? randomUUID())
      .setIssuer(iss ?? issuer)
      .setAudience(aud ?? options.audience)
      .setIssuedAt(now - 5)
      .setExpirationTime(now + (expiresIn ?? 300))
      .sign(forged ? forger.privateKey : privateKey);
  };

  const server = await listenOnLoopback(async (req, res, body) => {
    if (req.url === '/.well-known/openid-configuration') {
      sendJson(res, 200, { issuer, jwks_uri: `${issuer}/jwks`, id_token_signing_alg_values_supported: ['RS256'] });
    } else if (req.url === '/jwks') {
      sendJson(res, 200, { keys: [jwk] });
    } else if (req.url === '/test/id-token' && req.method === 'POST') {
      sendJson(res, 200, { idToken: await sign(JSON.parse(body) as IdTokenRequest) });
    } else {
      sendJson(res, 404, { error: 'not found' });
    }
  });
  issuer = server.url;
  return { issuer, audience: options.audience, signIdToken: sign, close: server.close };
}

/** Asks a fake issuer started elsewhere (e.g. in a global setup) for an ID token. */
export async function requestIdToken(issuer: string, request: IdTokenRequest): Promise<string> {
  return (await postJson<{ idToken: string }>(`${issuer}/test/id-token`, request)).idToken;
}
