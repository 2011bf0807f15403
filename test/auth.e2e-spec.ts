import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { freshUser, freshUserId, signTestToken } from './utils/tokens.js';

describe('auth: HS256 tokens signed with BETTER_AUTH_SECRET', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('accepts a valid token and returns the principal from GET /api/me', async () => {
    const user = await freshUser();
    const res = await request(app.getHttpServer()).get('/api/me').set('Authorization', user.authorization).expect(200);
    expect(res.body).toEqual({ id: user.id, email: `${user.id}@example.com`, name: user.id, issuer: 'shared-secret' });
  });

  it('answers a request without a token with 401 and a bare Bearer challenge', async () => {
    const res = await request(app.getHttpServer()).get('/api/me').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tasks-api"');
    expect(res.body).toMatchObject({ type: 'https://tasks-api.dev/problems/unauthorized', status: 401 });
  });

  it('accepts the lower-case scheme name', async () => {
    const id = freshUserId();
    const res = await request(app.getHttpServer()).get('/api/me').set('Authorization', `bearer ${await signTestToken(id)}`).expect(200);
    expect(res.body.id).toBe(id);
  });

  it('leaves public routes open', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
  });
});
