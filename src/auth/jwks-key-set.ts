import { createRemoteJWKSet, customFetch, errors, type FetchImplementation, type JWTVerifyGetKey } from 'jose';
import { currentTraceContext, traceparentOf } from '../common/observability/trace-context.js';
import { jwksFetches } from '../metrics/metrics.registry.js';
import { JwksUnavailableError } from './token-errors.js';

export interface JwksOptions {
  /** After a fetch, an unknown `kid` causes no new fetch for this long. */
  cooldownSeconds: number;
  timeoutMs: number;
}

/** Thrown instead of fetching while a recent fetch failure is being backed off from. */
class JwksBackoffError extends Error {}

/**
 * jose's key resolver, plus which key set it currently holds: a number that changes whenever the
 * set is fetched again, and `undefined` while there is none or it is older than jose's cache age
 * (the next verification refetches). What a token was verified against is only still true while
 * this stays the same.
 */
export type JwksKeySet = JWTVerifyGetKey & { readonly currentKeySet: number | undefined };

/** The longest a failed fetch stops further attempts (as the 503's Retry-After says). */
const MAX_FAILURE_BACKOFF_SECONDS = 5;

/**
 * The key resolver for JWKS tokens: jose's remote key set fetches lazily on first use, caches
 * (10 minutes), refetches when a token names an unknown `kid` (key rotation, no restart) unless
 * it fetched within the cool-down (so a flood of made-up kids cannot hammer the auth server), and
 * collapses concurrent fetches into one. Imported keys are cached per JWK.
 *
 * A failed fetch is not retried for a few seconds either (jose would retry on the next request),
 * so an auth server that is down is not hammered by the requests that need it.
 *
 * Errors that mean "this token's key is not there" stay 401s; anything else (network, timeout,
 * non-200, malformed set) means the auth server is unreachable and becomes a 503.
 */
export function createJwksKeySet(url: string, options: JwksOptions): JwksKeySet {
  const backoffMs = Math.min(options.cooldownSeconds, MAX_FAILURE_BACKOFF_SECONDS) * 1000;
  let lastFailureAt = Number.NEGATIVE_INFINITY;
  let fetches = 0;
  const fetchUnlessFailedRecently: FetchImplementation = (resource, init) => {
    if (Date.now() - lastFailureAt < backoffMs) return Promise.reject(new JwksBackoffError('the last JWKS fetch failed moments ago'));
    // Counted before the answer arrives: whatever the fetch brings, earlier verifications are
    // no longer known to hold.
    fetches += 1;
    const trace = currentTraceContext();
    if (trace) init.headers.set('traceparent', traceparentOf(trace));
    return fetch(resource, init).then(
      (response) => {
        jwksFetches.inc({ outcome: response.ok ? 'ok' : 'error' });
        return response;
      },
      (error: unknown) => {
        jwksFetches.inc({ outcome: 'error' });
        throw error;
      },
    );
  };

  const remote = createRemoteJWKSet(new URL(url), {
    cooldownDuration: options.cooldownSeconds * 1000,
    timeoutDuration: options.timeoutMs,
    headers: { 'user-agent': 'tasks-api' },
    [customFetch]: fetchUnlessFailedRecently,
  });
  const getKey: JWTVerifyGetKey = async (protectedHeader, token) => {
    try {
      return await remote(protectedHeader, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported) throw error;
      if (!(error instanceof JwksBackoffError)) lastFailureAt = Date.now();
      throw new JwksUnavailableError(error);
    }
  };
  return Object.defineProperty(getKey, 'currentKeySet', {
    get: () => (remote.fresh && !remote.reloading ? fetches : undefined),
  }) as JwksKeySet;
}
