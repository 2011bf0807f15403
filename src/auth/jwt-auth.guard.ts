import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard } from '@nestjs/passport';
import { ProblemException } from '../common/problem/problem.exception.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { RateLimiter } from '../rate-limit/rate-limiter.js';
import { hasTicket, TICKET_AUTH_KEY } from './event-ticket-auth.js';
import { JWT_STRATEGY } from './jwt.strategy.js';
import { IS_PUBLIC_KEY } from './public.decorator.js';
import { InvalidAuthRequestError, InvalidTokenError, JwksUnavailableError } from './token-errors.js';

const REALM = 'Bearer realm="tasks-api"';

/**
 * The global guard (APP_GUARD): every route needs a valid bearer token unless it, or its
 * controller, is marked @Public(). Passport runs JwtStrategy and puts the principal on
 * `request.user` (see @CurrentUser()); this guard decides how a refused request is answered.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimiter: RateLimiter,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic === true) return true;
    // A stream ticket is checked by the route's own EventTicketAuthGuard (see @TicketAuth()).
    const takesTicket = this.reflector.getAllAndOverride<boolean | undefined>(TICKET_AUTH_KEY, [context.getHandler(), context.getClass()]);
    if (takesTicket === true && hasTicket(context.switchToHttp().getRequest<FastifyRequest>())) return true;
    try {
      return (await super.canActivate(context)) as boolean;
    } catch (error) {
      // A refused request never reaches RateLimitGuard: it counts against its IP here (past the
      // limit the answer is 429 rather than 401), so that guessing tokens is limited too.
      if (error instanceof ProblemException && error.problem.status < 500) {
        const http = context.switchToHttp();
        await this.rateLimiter.limitAnonymous(http.getRequest<FastifyRequest>().ip, http.getResponse<FastifyReply>());
      }
      throw error;
    }
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false | null): TUser {
    if (error instanceof InvalidTokenError) throw unauthorized(error.description);
    if (error instanceof InvalidAuthRequestError) throw invalidAuthRequest(error.description);
    if (error instanceof JwksUnavailableError) throw jwksUnavailable();
    if (error instanceof Error) throw error;
    if (error || !user) throw unauthorized();
    return user;
  }
}

/**
 * The 401 for a request without a token (no `error` attribute, RFC 6750 §3.1) or with an
 * unacceptable one (`error="invalid_token"`).
 */
function unauthorized(description?: string): ProblemException {
  const challenge = description === undefined ? REALM : `${REALM}, error="invalid_token", error_description="${description}"`;
  return new ProblemException({
    status: 401,
    type: ProblemType.Unauthorized,
    detail: description === undefined ? 'This operation needs a Bearer token.' : `The bearer token was rejected: ${description}.`,
    headers: { 'www-authenticate': challenge },
  });
}

/** The 400 for credentials that cannot be read unambiguously (RFC 6750 §3.1 `invalid_request`). */
function invalidAuthRequest(description: string): ProblemException {
  return new ProblemException({
    status: 400,
    type: ProblemType.BadRequest,
    detail: `The request's credentials are ambiguous: ${description}. Send one Authorization header.`,
    headers: { 'www-authenticate': `${REALM}, error="invalid_request", error_description="${description}"` },
  });
}

/** The 503 for a token whose keys live on a JWKS server that does not answer. */
function jwksUnavailable(): ProblemException {
  return new ProblemException({
    status: 503,
    type: ProblemType.ServiceUnavailable,
    detail: 'The keys needed to verify this token cannot be fetched right now. Try again shortly.',
    headers: { 'retry-after': '5' },
  });
}
