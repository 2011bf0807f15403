import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { JwksUnavailableError } from './auth-errors.js';

export interface JwksOptions {
  /** After a fetch, an unknown `kid` causes no new fetch for this long. */
  cooldownSeconds: number;
  timeoutMs: number;
}

/**
 * The key resolver for JWKS tokens: jose's remote key set fetches lazily on first use, caches
 * (10 minutes), refetches when a token names an unknown `kid` (key rotation, no restart) unless
 * it fetched within the cool-down (so a flood of made-up kids cannot hammer the auth server), and
 * collapses concurrent fetches into one. Imported keys are cached per JWK.
 *
 * Errors that mean "this token's key is not there" stay 401s; anything else (network, timeout,
 * non-200, malformed set) means the auth server is unreachable and becomes a 503.
 */
export function createJwksKeySet(url: string, options: JwksOptions): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    cooldownDuration: options.cooldownSeconds * 1000,
    timeoutDuration: options.timeoutMs,
    headers: { 'user-agent': 'tasks-api' },
  });
  return async (protectedHeader, token) => {
    try {
      return await remote(protectedHeader, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported) throw error;
      throw new JwksUnavailableError(error);
    }
  };
}
