import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { freshUser } from './utils/tokens.js';

const LIMITS = { RATE_LIMIT_PER_USER: '3', RATE_LIMIT_PER_IP: '2' };
const REDIS_URL = 'redis://127.0.0.1:6379';
const MCP_LIST_TOOLS = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

/** Whether a Redis server answers here; the shared-limit tests skip when none does. */
async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function list(app: NestFastifyApplication, authorization: string, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'GET', url: '/api/tasks', headers: { authorization }, remoteAddress });
}

function expectTooManyRequests(response: Awaited<ReturnType<typeof list>>, policy: string): void {
  expect(response.statusCode).toBe(429);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json()).toMatchObject({ type: 'https://tasks-api.dev/problems/too-many-requests', status: 429, detail: 'Too many requests: retry after the time in Retry-After.' });
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(response.headers['ratelimit']).toMatch(new RegExp(`^"${policy}";r=0;t=\\d+$`));
}

describe('Rate limits (in memory)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp(LIMITS);
  });
  afterAll(async () => {
    await app.close();
  });

  it('counts each caller by the token subject, with RateLimit fields, and answers 429 past the limit', async () => {
    const alice = await freshUser();
    const bob = await freshUser();
    for (const remaining of [2, 1, 0]) {
      // A caller's count follows the subject, whatever the IP.
      const response = await list(app, alice.authorization, `10.0.0.${remaining}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-policy']).toBe('"user";q=3;w=60');
      expect(response.headers['ratelimit']).toMatch(new RegExp(`^"user";r=${remaining};t=([1-9]|[1-5][0-9]|60)$`));
    }
    expectTooManyRequests(await list(app, alice.authorization), 'user');
    expect((await list(app, bob.authorization)).statusCode).toBe(200);
  });

  it('counts MCP tool calls like REST calls', async () => {
    const carol = await freshUser();
    const mcp = () => app.inject({ method: 'POST', url: '/mcp', headers: { authorization: carol.authorization, accept: 'application/json, text/event-stream' }, payload: MCP_LIST_TOOLS });
    expect((await mcp()).headers['ratelimit']).toMatch(/^"user";r=2;/);
    expect((await list(app, carol.authorization)).statusCode).toBe(200);
    expect((await mcp()).headers['ratelimit']).toMatch(/^"user";r=0;/);
    expectTooManyRequests(await mcp(), 'user');
    expectTooManyRequests(await list(app, carol.authorization), 'user');
  });

  it('counts requests without a valid token by IP, refused tokens included, so that guessing tokens is limited', async () => {
    const guess = () => list(app, 'Bearer not-a-token', '10.1.0.1');
    for (const remaining of [1, 0]) {
      const response = await guess();
      expect(response.statusCode).toBe(401);
      expect(response.headers['ratelimit-policy']).toBe('"ip";q=2;w=60');
      expect(response.headers['ratelimit']).toMatch(new RegExp(`^"ip";r=${remaining};`));
    }
    expectTooManyRequests(await guess(), 'ip');
    // Public routes count against the IP too; another IP has its own count.
    const metadata = (remoteAddress: string) => app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource', remoteAddress });
    expectTooManyRequests(await metadata('10.1.0.1'), 'ip');
    expect((await metadata('10.1.0.2')).statusCode).toBe(200);
    // A valid token from the same IP is counted by its subject, not refused.
    expect((await list(app, (await freshUser()).authorization, '10.1.0.1')).statusCode).toBe(200);
  });

  it('documents the 429 on every protected operation, with the detail it sends', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs-json' })).json<{ paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content: Record<string, { example: { detail: string } }> }> }>> }>();
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const protectedOperations = operations.filter((operation) => (operation.security ?? []).length > 0);
    expect(protectedOperations.length).toBeGreaterThan(10);
    for (const operation of protectedOperations) {
      expect(operation.responses['429'].content['application/problem+json'].example.detail).toBe('Too many requests: retry after the time in Retry-After.');
    }
  });

  it('leaves the health probes out', async () => {
    for (let probe = 0; probe < 5; probe += 1) {
      const response = await app.inject({ method: 'GET', url: '/health/live', remoteAddress: '10.2.0.1' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit']).toBeUndefined();
    }
  });
});

describe('Rate limits switched off (RATE_LIMIT_ENABLED=false)', () => {
  it('neither counts nor sends RateLimit fields', async () => {
    const app = await createTestApp({ ...LIMITS, RATE_LIMIT_ENABLED: 'false' });
    try {
      const user = await freshUser();
      for (let request = 0; request < 5; request += 1) {
        const response = await list(app, user.authorization);
        expect(response.statusCode).toBe(200);
        expect(response.headers['ratelimit']).toBeUndefined();
      }
    } finally {
      await app.close();
    }
  });
});

describe.runIf(await redisAnswers())('Rate limits shared through Redis (REDIS_URL)', () => {
  let instances: NestFastifyApplication[];

  beforeAll(async () => {
    // Two instances with the same configuration, as two processes behind a load balancer would be.
    instances = await Promise.all([createTestApp({ ...LIMITS, REDIS_URL }), createTestApp({ ...LIMITS, REDIS_URL })]);
  });
  afterAll(async () => {
    await Promise.all(instances.map((app) => app.close()));
  });

  it('enforces one limit across instances', async () => {
    const [first, second] = instances;
    const dave = await freshUser();
    expect((await list(first, dave.authorization)).headers['ratelimit']).toMatch(/^"user";r=2;/);
    expect((await list(second, dave.authorization)).headers['ratelimit']).toMatch(/^"user";r=1;/);
    expect((await list(first, dave.authorization)).statusCode).toBe(200);
    expectTooManyRequests(await list(second, dave.authorization), 'user');
    expectTooManyRequests(await list(first, dave.authorization), 'user');
  });
});
