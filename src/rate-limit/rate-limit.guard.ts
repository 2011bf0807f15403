import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { RateLimiter } from './rate-limiter.js';
import { SKIP_RATE_LIMIT_KEY } from './skip-rate-limit.decorator.js';

/**
 * The second global guard, after JwtAuthGuard (RateLimitModule is imported after AuthModule), so
 * that it knows the verified caller: REST routes and MCP's `POST /mcp` alike are counted per
 * subject, public routes per IP. Requests JwtAuthGuard refuses never get here; it counts those
 * per IP itself, so guessing tokens is limited too.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean | undefined>(SKIP_RATE_LIMIT_KEY, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: Principal }>();
    const reply = http.getResponse<FastifyReply>();
    if (request.user) await this.limiter.limitCaller(request.user.id, reply);
    else await this.limiter.limitAnonymous(request.ip, reply);
    return true;
  }
}
