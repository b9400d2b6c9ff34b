import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { badUserInput, unauthenticated } from '@letstalk/errors';
import type { Logger } from '@letstalk/log';
import { PROVIDER_TIMEOUT_MS } from '../limits.ts';
import type { ExternalIdentity } from '../data/user-repository.ts';

export interface OidcProvider {
  name: string;
  issuer: string;
  audience: string | string[];
}

/** Signature algorithms accepted on ID tokens (what Google, Apple and Microsoft use, and EdDSA). */
const ID_TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/**
 * Verifies ID tokens of the configured providers against each issuer's JWKS, found through its
 * `/.well-known/openid-configuration` (fetched once per process, retried after a failure).
 */
export function createOidcVerifier(providers: OidcProvider[], options: { allowInsecure: boolean; log: Logger }) {
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  async function discover(provider: OidcProvider): Promise<JWTVerifyGetKey> {
    const url = `${provider.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const document = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== provider.issuer) {
      throw new Error(`${url} names issuer ${String(document.issuer)}, expected ${provider.issuer}`);
    }
    if (typeof document.jwks_uri !== 'string') throw new Error(`${url} has no jwks_uri`);
    const jwksUri = new URL(document.jwks_uri);
    if (jwksUri.protocol !== 'https:' && !(options.allowInsecure && jwksUri.protocol === 'http:')) {
      throw new Error(`${url}: jwks_uri must be https`);
    }
    return createRemoteJWKSet(jwksUri, { timeoutDuration: PROVIDER_TIMEOUT_MS });
  }

  function keysOf(provider: OidcProvider): Promise<JWTVerifyGetKey> {
    let keys = keySets.get(provider.name);
    if (!keys) {
      keys = discover(provider);
      keySets.set(provider.name, keys);
      keys.catch(() => keySets.delete(provider.name));
    }
    return keys;
  }

  return async function verifyIdToken(providerName: string, idToken: string): Promise<ExternalIdentity> {
    const provider = providers.find((candidate) => candidate.name === providerName);
    if (!provider) throw badUserInput(`Unknown sign-in provider "${providerName}".`, 'provider');
    let keys: JWTVerifyGetKey;
    try {
      keys = await keysOf(provider);
    } catch (error) {
      options.log.error({ err: error, provider: provider.name }, 'OIDC discovery failed');
      throw new Error(`The sign-in provider ${provider.name} could not be reached.`);
    }
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(idToken, keys, {
        issuer: provider.issuer,
        audience: provider.audience,
        algorithms: ID_TOKEN_ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: 30,
      }));
    } catch (error) {
      options.log.info({ provider: provider.name, reason: (error as Error).message }, 'ID token refused');
      throw unauthenticated('The ID token is invalid or has expired.');
    }
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : undefined;
    const emailVerified = claims.email_verified === true || claims.email_verified === 'true';
    return {
      provider: `oidc:${provider.name}`,
      subject: String(claims.sub),
      verifiedEmail: email && emailVerified ? email : undefined,
      firstName: typeof claims.given_name === 'string' ? claims.given_name : undefined,
      lastName: typeof claims.family_name === 'string' ? claims.family_name : undefined,
    };
  };
}
