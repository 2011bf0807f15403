import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { ANOTHER_AUTH_SECRET, freshUserId, signTestToken, signWithAnotherSecret } from './utils/tokens.js';

// The counterpart of auth-secret.e2e-spec.ts, in a process of its own (see there).
describe('auth: an application with another BETTER_AUTH_SECRET', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ BETTER_AUTH_SECRET: ANOTHER_AUTH_SECRET });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('verifies tokens with its own secret, and refuses those signed with the test secret', async () => {
    const sub = freshUserId();
    const me = (authorization: string) => request(app.getHttpServer()).get('/api/me').set('Authorization', authorization);
    expect((await me(`Bearer ${await signWithAnotherSecret(sub)}`).expect(200)).body.id).toBe(sub);
    await me(`Bearer ${await signTestToken(sub)}`).expect(401);
  });
});
