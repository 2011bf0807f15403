import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InvalidTokenError, JwksUnavailableError, jwksUnavailable, unauthorized } from './auth-errors.js';
import { bearerTokenFrom } from './bearer-token.js';
import type { Principal } from './principal.js';
import { RequestStrategy } from './request.strategy.js';
import { TokenVerifier } from './token-verifier.js';

const JWT_STRATEGY = 'jwt';

/**
 * Passport strategy for Better Auth bearer tokens. Turns every failure into the answer the client
 * gets: 401 problem+json with an RFC 6750 challenge, or 503 when the JWKS is unreachable.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(RequestStrategy, JWT_STRATEGY) {
  constructor(private readonly verifier: TokenVerifier) {
    super();
  }

  async validate(request: { headers: Record<string, string | string[] | undefined> }): Promise<Principal> {
    try {
      const token = bearerTokenFrom(request.headers.authorization);
      if (token === undefined) throw unauthorized();
      return await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw unauthorized(error.description);
      if (error instanceof JwksUnavailableError) throw jwksUnavailable();
      throw error;
    }
  }
}
