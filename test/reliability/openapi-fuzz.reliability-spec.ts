import fc from 'fast-check';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../utils/create-test-app.js';
import { tasksUser } from '../utils/tasks-client.js';
import { freshUser, signTestToken } from '../utils/tokens.js';
import { type FuzzRequest, type OpenApiDocument, OpenApiArbitraries } from './openapi-arbitraries.js';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);

/**
 * Item 8 of issue 22: requests generated from the live OpenAPI document (each operation's path,
 * query and header parameters and body, schema-valid and hostile), sent in-process (Fastify's
 * inject: the whole pipeline, no sockets) with real tokens. None may be a 5xx, and every error
 * must be problem+json.
 */
describe('OpenAPI-driven fuzzing', () => {
  let app: NestFastifyApplication;
  let arbitraries: OpenApiArbitraries;
  let authorizations: string[];

  beforeAll(async () => {
    // Loopback only: no reminder fires and no webhook is ever sent (generated URLs are literal addresses).
    // Not rate limited: the run must reach the handlers (test/rate-limit.e2e-spec.ts tests the limits).
    app = await createTestApp({ REMINDERS_ENABLED: 'false', RATE_LIMIT_ENABLED: 'false' });
    const owner = await tasksUser(app, 'fuzz');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await owner.createTask({ title: `seed ${i}`, tags: ['fuzz'] })).id);
    const stranger = await freshUser('fuzz-stranger');
    authorizations = [owner.authorization, stranger.authorization, `Bearer ${await signTestToken(owner.id, {}, '-1m')}`];
    const doc = (await app.inject({ method: 'GET', url: '/docs-json' })).json<OpenApiDocument>();
    arbitraries = new OpenApiArbitraries(doc, { id: ids, userId: [owner.id] });
  });
  afterAll(async () => {
    await app?.close();
  });

  it(`answers ${REQUESTS} generated requests with no 5xx, every error as problem+json`, async () => {
    const authorization = fc.oneof(
      { arbitrary: fc.constant(authorizations[0]), weight: 6 },
      { arbitrary: fc.constant(authorizations[1]), weight: 2 },
      { arbitrary: fc.constantFrom(undefined, authorizations[2], 'Bearer', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c'), weight: 1 },
    );
    const statuses = new Map<number, number>();
    const startedAt = Date.now();
    await fc.assert(
      fc.asyncProperty(arbitraries.everyOperation(authorization), async (sent: FuzzRequest) => {
        const response = await app.inject({ method: sent.method as 'GET', url: sent.url, headers: sent.headers, payload: sent.payload });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(response.statusCode, `${sent.method} ${sent.url}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
        if (response.statusCode >= 400) expect(response.headers['content-type'], `${sent.method} ${sent.url}`).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: REQUESTS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    const summary = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
    console.log(`fuzz: ${REQUESTS} requests in ${Date.now() - startedAt} ms; ${summary.join(', ')}`);
    // The run must reach the handlers, not just bounce off authentication and validation.
    expect([...statuses.keys()].some((status) => status >= 200 && status < 300)).toBe(true);
  }, 600_000);
});
