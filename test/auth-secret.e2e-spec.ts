import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { freshUserId, signTestToken, signWithAnotherSecret } from './utils/tokens.js';

// Passport keeps one 'jwt' strategy per process (the app created last), so each configuration gets
// its own test file, hence its own process: this one and auth-another-secret.e2e-spec.ts.
describe('auth: an application with the test BETTER_AUTH_SECRET', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('verifies tokens with its own secret, and refuses those signed with another', async () => {
    const sub = freshUserId();
    const me = (authorization: string) => request(app.getHttpServer()).get('/api/me').set('Authorization', authorization);
    expect((await me(`Bearer ${await signTestToken(sub)}`).expect(200)).body.id).toBe(sub);
    await me(`Bearer ${await signWithAnotherSecret(sub)}`).expect(401);
  });
});
