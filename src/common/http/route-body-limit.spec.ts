import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerRouteBodyLimits, routeBodyLimit } from './route-body-limit.js';

describe('registerRouteBodyLimits', () => {
  it('gives a route that asks for it its own limit, never below the global one', async () => {
    const fastify = Fastify({ bodyLimit: 1024 });
    registerRouteBodyLimits(fastify, 1024);
    const echo = () => Promise.resolve({ ok: true });
    fastify.post('/big', { config: routeBodyLimit(4096) }, echo);
    fastify.post('/small', { config: routeBodyLimit(10) }, echo);
    fastify.post('/plain', echo);
    const post = (url: string, bytes: number) => fastify.inject({ method: 'POST', url, payload: { text: 'x'.repeat(bytes) } });
    expect((await post('/big', 3000)).statusCode).toBe(200);
    expect((await post('/big', 5000)).statusCode).toBe(413);
    expect((await post('/plain', 3000)).statusCode).toBe(413);
    expect((await post('/small', 500)).statusCode).toBe(200);
    await fastify.close();
  });
});
