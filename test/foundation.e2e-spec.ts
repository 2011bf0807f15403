import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';

describe('foundation: HTTP pipeline', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ CORS_ORIGINS: 'https://app.example.com', BODY_LIMIT_BYTES: '65536' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reports liveness and readiness, publicly', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200).expect((res) => expect(res.body.status).toBe('ok'));
    const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body.details.database.status).toBe('up');
  });

  it('sends the security headers on errors too', async () => {
    const res = await request(app.getHttpServer()).get('/api/no-such-thing').expect(404);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const res = await request(app.getHttpServer()).get('/api/no-such-thing').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://tasks-api.dev/problems/not-found',
      title: 'Not Found',
      status: 404,
      instance: '/api/no-such-thing',
    });
    expect(res.body.detail).toEqual(expect.any(String));
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('does not serve the health routes under /api, nor the API outside it', async () => {
    await request(app.getHttpServer()).get('/api/health/live').expect(404);
  });

  it('echoes a well-formed X-Request-Id and replaces a hostile one', async () => {
    const kept = await request(app.getHttpServer()).get('/health/live').set('X-Request-Id', 'trace-42.a:b').expect(200);
    expect(kept.headers['x-request-id']).toBe('trace-42.a:b');

    const hostile = await request(app.getHttpServer()).get('/health/live').set('X-Request-Id', `<script> ${'x'.repeat(300)}`).expect(200);
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(missing.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(missing.headers['x-request-id']).not.toBe(hostile.headers['x-request-id']);
  });

  it('sends security headers', async () => {
    const res = await request(app.getHttpServer()).get('/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    // Swagger UI must keep working over plain HTTP.
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('allows only the configured CORS origins', async () => {
    const allowed = await request(app.getHttpServer())
      .options('/api/tasks')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type')
      .set('X-Request-Id', 'preflight-1');
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    // A preflight is answered before the app's own hooks, and still carries the request id.
    expect(allowed.headers['x-request-id']).toBe('preflight-1');

    const other = await request(app.getHttpServer()).get('/health/live').set('Origin', 'https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    const ui = await request(app.getHttpServer()).get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.body.paths)).toContain('/health/ready');
    // The body limit it states is the configured one.
    expect(doc.body.info.description).toContain('limited to 65,536 bytes');
  });
});
