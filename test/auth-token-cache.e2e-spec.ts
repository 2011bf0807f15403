import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { freshUser, freshUserId, signTestToken } from './utils/tokens.js';

// One application at a time: Passport keeps one 'jwt' strategy per process, the app created last.
const meOn = (app: NestFastifyApplication, authorization: string) => request(app.getHttpServer()).get('/api/me').set('Authorization', authorization);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('auth: remembered HS256 tokens', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ AUTH_CLOCK_TOLERANCE: '0' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("checks a token's signature once, not on every request that presents it", async () => {
    const user = await freshUser();
    await meOn(app, user.authorization).expect(200);
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify');
    for (let i = 0; i < 20; i += 1) expect((await meOn(app, user.authorization).expect(200)).body.id).toBe(user.id);
    expect(signatureChecks).not.toHaveBeenCalled();
  });

  it('answers only the exact token it remembered: a changed signature or payload is checked, and refused', async () => {
    const user = await freshUser();
    await meOn(app, user.authorization).expect(200);
    const [header, payload, signature] = user.authorization.slice('Bearer '.length).split('.');
    // A character in the middle carries six bits of the signature (the last one carries padding).
    const otherSignature = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const otherPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: freshUserId() })).toString('base64url');
    for (const forged of [`${header}.${payload}.${otherSignature}`, `${header}.${otherPayload}.${signature}`]) {
      const res = await meOn(app, `Bearer ${forged}`).expect(401);
      expect(res.body.id).toBeUndefined();
    }
    expect((await meOn(app, user.authorization).expect(200)).body.id).toBe(user.id);
  });

  it('rejects a remembered token when it expires', async () => {
    const id = freshUserId();
    const token = `Bearer ${await signTestToken(id, {}, '2s')}`;
    await meOn(app, token).expect(200);
    await meOn(app, token).expect(200);
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number };
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    const res = await meOn(app, token).expect(401);
    expect(res.body.detail).toMatch(/expired/i);
  });
});

describe('auth: remembered HS256 tokens, with the cache turned off', () => {
  let uncached: NestFastifyApplication;

  beforeAll(async () => {
    uncached = await createTestApp({ AUTH_CLOCK_TOLERANCE: '0', AUTH_TOKEN_CACHE_SIZE: '0' });
  });
  afterAll(async () => {
    await uncached?.close();
  });

  it('with AUTH_TOKEN_CACHE_SIZE=0, checks the signature on every request', async () => {
    const user = await freshUser();
    await meOn(uncached, user.authorization).expect(200);
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify');
    for (let i = 0; i < 5; i += 1) await meOn(uncached, user.authorization).expect(200);
    expect(signatureChecks).toHaveBeenCalledTimes(5);
  });
});
