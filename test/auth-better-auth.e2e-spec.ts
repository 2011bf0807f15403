import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins/jwt';
import { decodeProtectedHeader } from 'jose';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { JwksServer } from './utils/jwks-server.js';
import { freshUserId } from './utils/tokens.js';

/**
 * The real thing: a Better Auth server (in-memory database, JWT plugin) on a loopback port, the
 * API pointed at its JWKS, users signed up and their tokens fetched through Better Auth's HTTP API,
 * exactly as a front end does.
 */
async function startBetterAuth(keyPairConfig?: { alg: 'ES256' } | { alg: 'RS256'; modulusLength: number }) {
  let handler: RequestListener = (_request, response) => void response.writeHead(503).end();
  const server = await new JwksServer((request, response) => handler(request, response)).start();
  const auth = betterAuth({
    baseURL: server.origin,
    secret: 'better-auth-test-secret-0123456789abcdef',
    database: memoryAdapter({ user: [], session: [], account: [], verification: [], jwks: [] }),
    emailAndPassword: { enabled: true },
    plugins: [jwt(keyPairConfig ? { jwks: { keyPairConfig } } : undefined)],
    logger: { disabled: true },
  });
  const nodeHandler = toNodeHandler(auth);
  handler = (request, response) => void nodeHandler(request, response);

  /** Signs a new user up and returns their id and the JWT Better Auth's /token endpoint issues. */
  async function signUpAndGetToken(): Promise<{ userId: string; email: string; token: string }> {
    const email = `${freshUserId('ba')}@example.com`;
    const signUp = await fetch(`${server.origin}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.origin },
      body: JSON.stringify({ email, password: 'correct-horse-battery-staple', name: 'Better Auth User' }),
    });
    expect(signUp.status).toBe(200);
    const { user } = (await signUp.json()) as { user: { id: string } };
    const cookie = signUp.headers.getSetCookie().map((setCookie) => setCookie.split(';')[0]).join('; ');
    const tokenResponse = await fetch(`${server.origin}/api/auth/token`, { headers: { cookie } });
    expect(tokenResponse.status).toBe(200);
    const { token } = (await tokenResponse.json()) as { token: string };
    return { userId: user.id, email, token };
  }

  return { server, signUpAndGetToken };
}

describe.each([
  { variant: 'EdDSA (the JWT plugin default)', alg: 'EdDSA', keyPairConfig: undefined },
  { variant: 'ES256', alg: 'ES256', keyPairConfig: { alg: 'ES256' } as const },
  { variant: 'RS256', alg: 'RS256', keyPairConfig: { alg: 'RS256', modulusLength: 2048 } as const },
])('auth: tokens issued by the real Better Auth JWT plugin, $variant', ({ alg, keyPairConfig }) => {
  let app: NestFastifyApplication;
  let betterAuthServer: Awaited<ReturnType<typeof startBetterAuth>>;

  beforeAll(async () => {
    betterAuthServer = await startBetterAuth(keyPairConfig);
    const { server } = betterAuthServer;
    // Better Auth's defaults: iss and aud are both its base URL.
    app = await createTestApp({ AUTH_JWKS_URL: server.jwksUrl, AUTH_ISSUER: server.origin, AUTH_AUDIENCE: server.origin, BETTER_AUTH_SECRET: undefined });
  });
  afterAll(async () => {
    await app?.close();
    await betterAuthServer?.server.stop();
  });

  it("accepts the token and GET /api/me returns the Better Auth user's id", async () => {
    const { userId, email, token } = await betterAuthServer.signUpAndGetToken();
    expect(decodeProtectedHeader(token).alg).toBe(alg);
    const res = await request(app.getHttpServer()).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.body).toEqual({ id: userId, email, name: 'Better Auth User', issuer: betterAuthServer.server.origin });
  });

  it('tells two Better Auth users apart, with one JWKS fetch between them', async () => {
    const alice = await betterAuthServer.signUpAndGetToken();
    const bob = await betterAuthServer.signUpAndGetToken();
    const fetchesBefore = betterAuthServer.server.fetches;
    const [aliceMe, bobMe] = await Promise.all([
      request(app.getHttpServer()).get('/api/me').set('Authorization', `Bearer ${alice.token}`).expect(200),
      request(app.getHttpServer()).get('/api/me').set('Authorization', `Bearer ${bob.token}`).expect(200),
    ]);
    expect(aliceMe.body.id).toBe(alice.userId);
    expect(bobMe.body.id).toBe(bob.userId);
    expect(aliceMe.body.id).not.toBe(bobMe.body.id);
    expect(betterAuthServer.server.fetches).toBe(fetchesBefore);
  });

  it('rejects a Better Auth token whose signature was tampered with', async () => {
    const { token } = await betterAuthServer.signUpAndGetToken();
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${Buffer.alloc(alg === 'RS256' ? 256 : 64, 1).toString('base64url')}`;
    const res = await request(app.getHttpServer()).get('/api/me').set('Authorization', `Bearer ${forged}`).expect(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });
});
