import { ProblemException } from '../common/problem/problem.exception.js';
import { ProblemType } from '../common/problem/problem-type.js';

const REALM = 'Bearer realm="tasks-api"';

/**
 * A token that cannot be accepted. `description` ends up in the RFC 6750 `error_description`
 * attribute, so it is short, plain ASCII, and never quotes any part of the token.
 */
export class InvalidTokenError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'InvalidTokenError';
  }
}

/** The JWKS endpoint could not be reached or answered nonsense: not the caller's fault. */
export class JwksUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The JSON Web Key Set could not be fetched', { cause });
    this.name = 'JwksUnavailableError';
  }
}

/**
 * The 401 for a request without a token (no `error` attribute, RFC 6750 §3.1) or with an
 * unacceptable one (`error="invalid_token"`).
 */
export function unauthorized(description?: string): ProblemException {
  const challenge = description === undefined ? REALM : `${REALM}, error="invalid_token", error_description="${description}"`;
  return new ProblemException({
    status: 401,
    type: ProblemType.Unauthorized,
    detail: description === undefined ? 'This operation needs a Bearer token.' : `The bearer token was rejected: ${description}.`,
    headers: { 'www-authenticate': challenge },
  });
}

/** The 503 for a token whose keys live on a JWKS server that does not answer. */
export function jwksUnavailable(): ProblemException {
  return new ProblemException({
    status: 503,
    type: ProblemType.ServiceUnavailable,
    detail: 'The keys needed to verify this token cannot be fetched right now. Try again shortly.',
    headers: { 'retry-after': '5' },
  });
}
