import { errors } from 'jose';

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

/** A request whose credentials are ambiguous (RFC 6750 §3.1 `invalid_request`): a 400, not a 401. */
export class InvalidAuthRequestError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'InvalidAuthRequestError';
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
 * A short, token-free `error_description` for a jose verification error, or `undefined` for an
 * error that is not about the token (a bug, or something unexpected).
 */
export function describeJoseError(error: unknown): string | undefined {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `missing ${error.claim} claim`;
    if (error.reason !== 'check_failed') return `malformed ${error.claim} claim`;
    switch (error.claim) {
      case 'nbf':
        return 'token not yet valid';
      case 'iss':
        return 'unexpected issuer';
      case 'aud':
        return 'unexpected audience';
      default:
        return `${error.claim} claim check failed`;
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'invalid signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'signing algorithm not accepted';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'ambiguous signing key';
  if (error instanceof errors.JOSENotSupported) return 'unsupported token';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed token';
  return undefined;
}
