import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply } from 'fastify';
import type { AppConfig, RateLimitConfig } from '../config/app-config.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { rateLimitedAddress } from './client-address.js';
import { RedisWindowCounter } from './redis-window-counter.js';
import { MemoryWindowCounter, type WindowCounter } from './window-counter.js';

export const TOO_MANY_REQUESTS_DETAIL = 'Too many requests: retry after the time in Retry-After.';

/**
 * Counts each request against its caller's limit, answers with the IETF RateLimit fields
 * (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy` names the quota and window,
 * `RateLimit` what is left and when it resets), and refuses with 429 past the limit.
 * Authenticated callers are counted by their token's subject (one limit whatever their IP);
 * everything else by client IP (an IPv6 client by its /64; see TRUST_PROXY behind a proxy).
 */
@Injectable()
export class RateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly config: RateLimitConfig;
  private readonly windowMs: number;
  private readonly counter: WindowCounter;
  private counterFailing = false;

  constructor(config: ConfigService<AppConfig, true>) {
    this.config = config.get('rateLimit', { infer: true });
    this.windowMs = this.config.windowSeconds * 1000;
    this.counter = this.config.redisUrl === undefined ? new MemoryWindowCounter() : new RedisWindowCounter(this.config.redisUrl);
  }

  /** A request by an authenticated caller. */
  limitCaller(subject: string, reply: FastifyReply): Promise<void> {
    return this.limit('user', `user:${subject}`, this.config.perUser, reply);
  }

  /** A request without a valid token: a public route, or one the auth guard refused. */
  limitAnonymous(ip: string, reply: FastifyReply): Promise<void> {
    return this.limit('ip', `ip:${rateLimitedAddress(ip)}`, this.config.perIp, reply);
  }

  onApplicationShutdown(): Promise<void> {
    return this.counter.close();
  }

  private async limit(policy: string, key: string, quota: number, reply: FastifyReply): Promise<void> {
    if (!this.config.enabled) return;
    const count = await this.hit(key);
    if (count === undefined) return;
    const resetSeconds = Math.max(1, Math.ceil(count.resetsInMs / 1000));
    void reply.header('ratelimit-policy', `"${policy}";q=${quota};w=${this.config.windowSeconds}`);
    void reply.header('ratelimit', `"${policy}";r=${Math.max(0, quota - count.hits)};t=${resetSeconds}`);
    if (count.hits > quota) {
      throw new ProblemException({ status: 429, type: ProblemType.TooManyRequests, detail: TOO_MANY_REQUESTS_DETAIL, headers: { 'retry-after': String(resetSeconds) } });
    }
  }

  /**
   * Fails open: while the shared counter (Redis) is unreachable, requests are served unlimited
   * rather than refused, and that is logged once per outage rather than once per request.
   */
  private async hit(key: string) {
    try {
      const count = await this.counter.hit(key, this.windowMs);
      if (this.counterFailing) this.logger.log('The rate-limit counter answers again');
      this.counterFailing = false;
      return count;
    } catch (error) {
      if (!this.counterFailing) this.logger.warn({ err: error }, 'The rate-limit counter is unreachable: requests are not limited until it answers');
      this.counterFailing = true;
      return undefined;
    }
  }
}
