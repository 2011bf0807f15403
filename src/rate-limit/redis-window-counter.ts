import { Redis } from 'ioredis';
import type { WindowCount, WindowCounter } from './window-counter.js';

const KEY_PREFIX = 'tasks-api:rate-limit:';

/**
 * INCR and, for a window's first request, PEXPIRE, in one round trip and atomically (a script),
 * so that every instance sharing the Redis counts into one window per key. A key without an
 * expiry (left by an interrupted script) gets one again.
 */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if hits == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}`;

type HitCommand = (key: string, windowMs: number) => Promise<[number, number]>;

/** The counter shared by every instance that uses the same Redis (REDIS_URL). */
export class RedisWindowCounter implements WindowCounter {
  private readonly redis: Redis;

  constructor(url: string) {
    // No offline queue and one attempt per command: while Redis is unreachable a hit fails at once
    // (and the request is let through, see RateLimiter) instead of waiting for a reconnection.
    this.redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis.on('error', () => undefined);
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const hitCommand = (this.redis as unknown as { rateLimitHit: HitCommand }).rateLimitHit.bind(this.redis);
    const [hits, resetsInMs] = await hitCommand(`${KEY_PREFIX}${key}`, windowMs);
    return { hits, resetsInMs };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
