import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Environment } from '../src/config/env-reader.js';
import { createTestApp } from './utils/create-test-app.js';
import { closedPort, JwksServer } from './utils/jwks-server.js';
import { betterAuthClaims, craftToken, createSigningKey, signWithKey, type TestSigningKey } from './utils/signing-keys.js';
import { freshUser } from './utils/tokens.js';

const me = (app: NestFastifyApplication, authorization: string) => request(app.getHttpServer()).get('/api/me').set('Authorization', authorization);

/**
 * An app that trusts a JWKS server of its own, publishing one fresh `algorithm` key: created before
 * the describe block's tests, closed after them. `env` adds settings; `behaviour` is the server's.
 */
function appWithJwks(algorithm: Parameters<typeof createSigningKey>[0], env: Environment = {}, behaviour?: JwksServer['behaviour']) {
  const fixture = {} as { app: NestFastifyApplication; server: JwksServer; key: TestSigningKey };
  beforeAll(async () => {
    fixture.server = await new JwksServer().start();
    if (behaviour !== undefined) fixture.server.behaviour = behaviour;
    fixture.key = await createSigningKey(algorithm);
    fixture.server.keys.push(fixture.key.publicJwk);
    fixture.app = await createTestApp({ AUTH_JWKS_URL: fixture.server.jwksUrl, ...env });
  });
  afterAll(async () => {
    await fixture.app?.close();
    await fixture.server?.stop();
  });
  return fixture;
}

describe('auth: JWKS key rotation', () => {
  // No cool-down: a refetch on every unknown kid, so no clock is needed
  const jwks = appWithJwks('EdDSA', { AUTH_JWKS_COOLDOWN: '0' });

  it('fetches the JWKS lazily, once, and caches it', async () => {
    expect(jwks.server.fetches).toBe(0);
    for (let i = 0; i < 5; i += 1) await me(jwks.app, `Bearer ${await signWithKey(jwks.key, betterAuthClaims())}`).expect(200);
    expect(jwks.server.fetches).toBe(1);
  });

  it('accepts a key added to the JWKS after start-up, without a restart', async () => {
    await me(jwks.app, `Bearer ${await signWithKey(jwks.key, betterAuthClaims())}`).expect(200);
    const rotated = await createSigningKey('ES256');
    const claims = betterAuthClaims();
    const token = await signWithKey(rotated, claims);

    jwks.server.keys.push(rotated.publicJwk);
    const res = await me(jwks.app, `Bearer ${token}`).expect(200);
    expect(res.body.id).toBe(claims.sub);
    // The old key still works while it is published.
    await me(jwks.app, `Bearer ${await signWithKey(jwks.key, betterAuthClaims())}`).expect(200);
  });
});

describe('auth: a flood of unknown kids', () => {
  // The default 30 s cool-down.
  const jwks = appWithJwks('EdDSA');

  it('answers 1,000 tokens with random kids with 401s and at most a handful of JWKS fetches', async () => {
    await me(jwks.app, `Bearer ${await signWithKey(jwks.key, betterAuthClaims())}`).expect(200);
    const statuses: number[] = [];
    for (let batch = 0; batch < 20; batch += 1) {
      const responses = await Promise.all(
        Array.from({ length: 50 }, () => me(jwks.app, `Bearer ${craftToken({ alg: 'EdDSA', kid: randomUUID() }, betterAuthClaims(), 'c2lnbmF0dXJl')}`)),
      );
      statuses.push(...responses.map((res) => res.status));
    }
    expect(statuses).toHaveLength(1000);
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(jwks.server.fetches).toBeLessThanOrEqual(3);
    // Known keys keep working throughout.
    await me(jwks.app, `Bearer ${await signWithKey(jwks.key, betterAuthClaims())}`).expect(200);
  });
});

describe('auth: JWKS server unreachable', () => {
  let app: NestFastifyApplication;
  let key: TestSigningKey;

  beforeAll(async () => {
    key = await createSigningKey('EdDSA');
    app = await createTestApp({ AUTH_JWKS_URL: `http://127.0.0.1:${await closedPort()}/api/auth/jwks` });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers JWKS tokens with 503 problem+json and Retry-After, not 401 or 500', async () => {
    const res = await me(app, `Bearer ${await signWithKey(key, betterAuthClaims())}`).expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body).toMatchObject({ type: 'https://tasks-api.dev/problems/service-unavailable', status: 503 });
  });

  it('still accepts HS256 tokens', async () => {
    const user = await freshUser();
    const res = await me(app, user.authorization).expect(200);
    expect(res.body.id).toBe(user.id);
  });

  it('still rejects a token no key could verify with 401, without asking the JWKS', async () => {
    await me(app, 'Bearer not-a-jwt').expect(401);
  });
});

describe('auth: JWKS server failing, then recovering', () => {
  // No cool-down, hence no back-off: every request asks the server
  const jwks = appWithJwks('RS256', { AUTH_JWKS_TIMEOUT_MS: '300', AUTH_JWKS_COOLDOWN: '0' });

  it.each([
    { behaviour: 'error', when: 'answers 500' },
    { behaviour: 'reset', when: 'cuts the connection' },
    { behaviour: 'hang', when: 'does not answer within AUTH_JWKS_TIMEOUT_MS' },
  ] as const)('answers 503 while the JWKS server $when, and HS256 tokens still work', async ({ behaviour }) => {
    jwks.server.behaviour = behaviour;
    await me(jwks.app, `Bearer ${await signWithKey(jwks.key, betterAuthClaims())}`).expect(503);
    await me(jwks.app, (await freshUser()).authorization).expect(200);
  });

  it('accepts JWKS tokens again once the server is back, without a restart', async () => {
    jwks.server.behaviour = 'ok';
    const claims = betterAuthClaims();
    const res = await me(jwks.app, `Bearer ${await signWithKey(jwks.key, claims)}`).expect(200);
    expect(res.body.id).toBe(claims.sub);
  });
});

describe('auth: JWKS server down, with the default cool-down', () => {
  const jwks = appWithJwks('EdDSA', {}, 'error');

  it('does not hammer it: after a failed fetch, requests get 503 at once without another fetch', async () => {
    for (let i = 0; i < 20; i += 1) {
      await me(jwks.app, `Bearer ${await signWithKey(jwks.key, betterAuthClaims())}`).expect(503);
      await me(jwks.app, `Bearer ${craftToken({ alg: 'EdDSA', kid: randomUUID() }, betterAuthClaims(), 'c2ln')}`).expect(503);
    }
    expect(jwks.server.fetches).toBe(1);
  });
});

describe('auth: remembered JWKS tokens', () => {
  const jwks = appWithJwks('EdDSA', { AUTH_JWKS_COOLDOWN: '0', AUTH_CLOCK_TOLERANCE: '0' });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it("checks a token's signature once, not on every request that presents it", async () => {
    const token = `Bearer ${await signWithKey(jwks.key, betterAuthClaims())}`;
    await me(jwks.app, token).expect(200); // fetches the JWKS
    const signatureChecks = vi.spyOn(crypto.subtle, 'verify');
    for (let i = 0; i < 20; i += 1) await me(jwks.app, token).expect(200);
    expect(signatureChecks.mock.calls.length).toBeLessThanOrEqual(1);
    signatureChecks.mockRestore();
  });

  it('rejects a remembered token when it expires', async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3;
    const token = `Bearer ${await signWithKey(jwks.key, betterAuthClaims({ exp: expiresAt }))}`;
    await me(jwks.app, token).expect(200);
    await me(jwks.app, token).expect(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
    const res = await me(jwks.app, token).expect(401);
    expect(res.body.detail).toMatch(/expired/i);
  });

  it('rejects a remembered token once its key is withdrawn from the JWKS and the set is fetched again', async () => {
    const claims = betterAuthClaims();
    const token = `Bearer ${await signWithKey(jwks.key, claims)}`;
    await me(jwks.app, token).expect(200);
    await me(jwks.app, token).expect(200);

    const successor = await createSigningKey('EdDSA');
    jwks.server.keys.splice(0, jwks.server.keys.length, successor.publicJwk);
    // A token with the new kid makes the API fetch the set again (no cool-down here).
    await me(jwks.app, `Bearer ${await signWithKey(successor, betterAuthClaims())}`).expect(200);

    await me(jwks.app, token).expect(401);
  });
});
