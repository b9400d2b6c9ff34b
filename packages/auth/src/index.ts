import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { unauthenticated } from '@letstalk/errors';
import { readOrCreateSecret } from './secret-file.ts';

export { readOrCreateSecret };

/** Access tokens are short-lived; the refresh token renews them. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ACCESS_TOKEN_ALGORITHM = 'ES256';
/** How long a fetched JWKS is trusted before it is fetched again. */
const JWKS_CACHE_MAX_AGE_MS = 10 * 60 * 1000;
/** Verified tokens remembered per process (a verification costs ~0.25 ms of CPU; most clients reuse one). */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;
/** Longest `Authorization` header accepted; longer ones are refused before any parsing. */
const MAX_AUTHORIZATION_HEADER_LENGTH = 4096;

export interface SigningKey {
  privateKey: Awaited<ReturnType<typeof importPKCS8>>;
  publicJwk: JWK;
  kid: string;
}

/** The signed-in caller as every service sees it after verifying the access token. */
export interface Viewer {
  userId: string;
  sessionId: string;
  tokenId: string;
  expiresAt: Date;
}

/**
 * Loads the ES256 signing key from a PKCS#8 PEM, or (when `dataDir` is set, i.e. outside production) reads
 * or creates one in `<dataDir>/keys` (see {@link readOrCreateSecret}), so a developer's tokens survive restarts.
 */
export async function loadSigningKey(options: { pem?: string | undefined; dataDir?: string }): Promise<SigningKey> {
  let pem = options.pem?.replace(/\\n/g, '\n');
  if (!pem) {
    if (!options.dataDir) throw new Error('AUTH_PRIVATE_KEY is required');
    pem = await readOrCreateSecret(options.dataDir, 'access-token-es256.pem', async () => {
      const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
      return exportPKCS8(privateKey);
    });
  }
  const privateKey = await importPKCS8(pem, ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const { d: _private, ...publicJwk } = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { privateKey, publicJwk: { ...publicJwk, kid, alg: ACCESS_TOKEN_ALGORITHM, use: 'sig' }, kid };
}

/** The public half of the signing keys, as served on `/.well-known/jwks.json`. */
export function publicJwks(keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => key.publicJwk) };
}

export interface TokenOptions {
  issuer: string;
  audience: string;
}

/** Signs an access token for a session. */
export async function issueAccessToken(
  key: SigningKey,
  options: TokenOptions,
  subject: { userId: string; sessionId: string },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt + ACCESS_TOKEN_TTL_SECONDS) * 1000);
  const token = await new SignJWT({ sid: subject.sessionId })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(subject.userId)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key.privateKey);
  return { token, expiresAt };
}

export type AccessTokenVerifier = (token: string) => Promise<Viewer>;

/**
 * Verifies access tokens against a JWKS: the remote one of the user subgraph (fetched and cached), or a
 * local key set (the user subgraph itself). Signature, issuer, audience, expiry and algorithm are checked.
 */
export function createAccessTokenVerifier(
  source: { jwksUrl: string } | { jwks: JSONWebKeySet },
  options: TokenOptions,
): AccessTokenVerifier {
  const keys: JWTVerifyGetKey =
    'jwksUrl' in source
      ? createRemoteJWKSet(new URL(source.jwksUrl), { cacheMaxAge: JWKS_CACHE_MAX_AGE_MS, timeoutDuration: 5_000 })
      : createLocalJWKSet(source.jwks);
  // A token that verified once stays valid until its expiry (revocation is by expiry), so the result is
  // kept until then: a request through the gateway is verified by the gateway and each subgraph it reaches.
  const verified = new LRUCache<string, Viewer>({ max: VERIFIED_TOKEN_CACHE_SIZE, ttlAutopurge: false });
  return async (token) => {
    const cached = verified.get(token);
    if (cached) return cached;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'jti', 'sid'],
      });
      if (typeof payload.sid !== 'string' || !payload.sub || !payload.jti || !payload.exp) throw new Error('claims');
      const viewer = {
        userId: payload.sub,
        sessionId: payload.sid,
        tokenId: payload.jti,
        expiresAt: new Date(payload.exp * 1000),
      };
      verified.set(token, viewer, { ttl: Math.max(1, viewer.expiresAt.getTime() - Date.now()) });
      return viewer;
    } catch {
      throw unauthenticated('The access token is invalid or has expired.');
    }
  };
}

/** The settings every service checks access tokens with (`tokenEnv` in @letstalk/config). */
export interface TokenEnv {
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_JWKS_URL: string;
}

/**
 * A service's access-token verifier, from its settings: against the user subgraph's published keys
 * (`AUTH_JWKS_URL`), or against `ownKeys` in the user subgraph, which holds them; for the installation's
 * issuer and audience.
 */
export function accessTokenVerifierFor(env: TokenEnv, ownKeys?: JSONWebKeySet): AccessTokenVerifier {
  return createAccessTokenVerifier(ownKeys ? { jwks: ownKeys } : { jwksUrl: env.AUTH_JWKS_URL }, {
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
  });
}

/**
 * Reads `Authorization: Bearer <token>`: no header → anonymous (`null`); a header that is malformed or
 * carries a bad token → UNAUTHENTICATED, so a client never silently continues as anonymous.
 */
export async function viewerFromAuthorization(
  header: string | undefined,
  verify: AccessTokenVerifier,
): Promise<Viewer | null> {
  if (header === undefined || header === '') return null;
  if (header.length > MAX_AUTHORIZATION_HEADER_LENGTH) throw unauthenticated('The Authorization header is too long.');
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header);
  if (!match?.[1]) throw unauthenticated('Use "Authorization: Bearer <access token>".');
  return verify(match[1]);
}
