import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AddressInfo, connect } from 'node:net';
import { SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_AUTH_SECRET } from './utils/create-test-app.js';
import { JwksServer } from './utils/jwks-server.js';
import { betterAuthClaims, craftToken, createSigningKey, signWithKey, TEST_AUDIENCE, TEST_ISSUER, type TestSigningKey } from './utils/signing-keys.js';
import { freshUser, freshUserId, signTestToken } from './utils/tokens.js';

const CHALLENGE = 'Bearer realm="tasks-api"';
const now = () => Math.floor(Date.now() / 1000);
const without = (claims: Record<string, unknown>, ...names: string[]) => Object.fromEntries(Object.entries(claims).filter(([name]) => !names.includes(name)));

describe('auth: bearer tokens (HS256 shared secret and JWKS)', () => {
  let app: NestFastifyApplication;
  let jwks: JwksServer;
  let trusted: TestSigningKey;
  let es512: TestSigningKey;

  beforeAll(async () => {
    jwks = await new JwksServer().start();
    trusted = await createSigningKey('EdDSA');
    es512 = await createSigningKey('ES512');
    jwks.keys.push(trusted.publicJwk, es512.publicJwk);
    app = await createTestApp({ AUTH_JWKS_URL: jwks.jwksUrl, AUTH_ISSUER: TEST_ISSUER, AUTH_AUDIENCE: TEST_AUDIENCE });
  });
  afterAll(async () => {
    await app?.close();
    await jwks?.stop();
  });

  const me = (authorization?: string) => {
    const call = request(app.getHttpServer()).get('/api/me');
    return authorization === undefined ? call : call.set('Authorization', authorization);
  };
  const bearerFor = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}) => `Bearer ${await signWithKey(trusted, claims, header)}`;

  describe('accepts', () => {
    it('an HS256 token signed with BETTER_AUTH_SECRET', async () => {
      const user = await freshUser();
      const res = await me(user.authorization).expect(200);
      expect(res.body).toEqual({ id: user.id, email: `${user.id}@example.com`, name: user.id, issuer: 'shared-secret' });
    });

    it('an EdDSA token from the JWKS, with the configured issuer and audience', async () => {
      const claims = betterAuthClaims();
      const res = await me(await bearerFor(claims)).expect(200);
      expect(res.body).toEqual({ id: claims.sub, email: claims.email, name: claims.name, issuer: TEST_ISSUER });
    });

    it("Better Auth's user object without sub: the id claim is the user id", async () => {
      const claims = betterAuthClaims();
      const res = await me(await bearerFor(without(claims, 'sub'))).expect(200);
      expect(res.body.id).toBe(claims.id);
    });

    it('the scheme name in any case, and an audience list that contains ours', async () => {
      const claims = betterAuthClaims({ aud: ['https://other.example', TEST_AUDIENCE] });
      const res = await me(`bearer ${await signWithKey(trusted, claims)}`).expect(200);
      expect(res.body.id).toBe(claims.sub);
    });

    it('expiry and not-before within the clock tolerance (30 s)', async () => {
      const expired = betterAuthClaims({ exp: now() - 10 });
      await me(await bearerFor(expired)).expect(200);
      const early = betterAuthClaims({ nbf: now() + 10 });
      await me(await bearerFor(early)).expect(200);
    });

    it('opaque, non-UUID user ids up to 255 characters', async () => {
      const id = `usr|${'x'.repeat(251)}`;
      const res = await me(`Bearer ${await signTestToken(id)}`).expect(200);
      expect(res.body.id).toBe(id);
    });
  });

  describe('rejects with 401, problem+json and an RFC 6750 challenge, before any handler runs', () => {
    type Case = { name: string; authorization: () => Promise<string | undefined>; description?: RegExp };
    const cases: Case[] = [
      { name: 'no Authorization header', authorization: () => Promise.resolve(undefined) },
      { name: 'another scheme (Basic)', authorization: () => Promise.resolve('Basic dXNlcjpwYXNzd29yZA==') },
      { name: 'Bearer without a token', authorization: () => Promise.resolve('Bearer'), description: /malformed Authorization header/ },
      { name: 'two tokens in one header', authorization: async () => `Bearer ${await signTestToken(freshUserId())} x.y.z`, description: /malformed Authorization header/ },
      { name: 'a token that is not a JWT', authorization: () => Promise.resolve('Bearer not-a-jwt'), description: /not a signed JWT/ },
      { name: 'a JWE (five segments)', authorization: () => Promise.resolve('Bearer aaaa.bbbb.cccc.dddd.eeee'), description: /not a signed JWT/ },
      { name: 'alg none with an empty signature', authorization: () => Promise.resolve(`Bearer ${craftToken({ alg: 'none' }, betterAuthClaims())}`), description: /not a signed JWT/ },
      { name: 'alg none with a signature', authorization: () => Promise.resolve(`Bearer ${craftToken({ alg: 'none', typ: 'JWT' }, betterAuthClaims(), 'c2ln')}`), description: /unsigned tokens/ },
      { name: 'an algorithm outside the allow-list (ES512, key published)', authorization: async () => `Bearer ${await signWithKey(es512, betterAuthClaims())}`, description: /algorithm not accepted/ },
      {
        name: 'HS512 with the shared secret',
        authorization: async () => `Bearer ${await new SignJWT(betterAuthClaims()).setProtectedHeader({ alg: 'HS512' }).sign(new TextEncoder().encode(TEST_AUTH_SECRET))}`,
        description: /algorithm not accepted/,
      },
      {
        name: 'key confusion: HS256 signed with the JWKS public key',
        authorization: async () => `Bearer ${await new SignJWT(betterAuthClaims()).setProtectedHeader({ alg: 'HS256', kid: trusted.kid }).sign(new TextEncoder().encode(JSON.stringify(trusted.publicJwk)))}`,
        description: /invalid signature/,
      },
      {
        name: 'HS256 signed with another secret',
        authorization: async () => `Bearer ${await new SignJWT(betterAuthClaims()).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('another-secret-another-secret-another'))}`,
        description: /invalid signature/,
      },
      { name: 'an unknown kid', authorization: async () => `Bearer ${await signWithKey(await createSigningKey('EdDSA'), betterAuthClaims())}`, description: /unknown signing key/ },
      {
        name: "a trusted kid on another key's signature",
        authorization: async () => `Bearer ${await signWithKey(await createSigningKey('EdDSA', trusted.kid), betterAuthClaims())}`,
        description: /invalid signature/,
      },
      {
        name: 'a tampered payload',
        authorization: async () => {
          const [header, , signature] = (await signWithKey(trusted, betterAuthClaims())).split('.');
          return `Bearer ${header}.${Buffer.from(JSON.stringify(betterAuthClaims())).toString('base64url')}.${signature}`;
        },
        description: /invalid signature/,
      },
      {
        name: 'a tampered signature',
        authorization: async () => {
          const token = await signWithKey(trusted, betterAuthClaims());
          const flipped = token.at(-5) === 'A' ? 'B' : 'A';
          return `Bearer ${token.slice(0, -5)}${flipped}${token.slice(-4)}`;
        },
        description: /invalid signature/,
      },
      { name: 'an expired token', authorization: () => bearerFor(betterAuthClaims({ exp: now() - 120 })), description: /token expired/ },
      { name: 'an expired HS256 token', authorization: async () => `Bearer ${await signTestToken(freshUserId(), {}, '5 minutes ago')}`, description: /token expired/ },
      { name: 'a token not yet valid (nbf)', authorization: () => bearerFor(betterAuthClaims({ nbf: now() + 120 })), description: /not yet valid/ },
      { name: 'a token issued in the future (iat)', authorization: () => bearerFor(betterAuthClaims({ iat: now() + 120 })), description: /issued in the future/ },
      { name: 'the wrong issuer', authorization: () => bearerFor(betterAuthClaims({ iss: 'https://evil.example' })), description: /unexpected issuer/ },
      { name: 'no issuer', authorization: () => bearerFor(without(betterAuthClaims(), 'iss')), description: /missing iss claim/ },
      { name: 'the wrong audience', authorization: () => bearerFor(betterAuthClaims({ aud: 'https://other-api.example' })), description: /unexpected audience/ },
      { name: 'no sub and no user object', authorization: () => bearerFor(without(betterAuthClaims(), 'sub', 'email')), description: /missing sub claim/ },
      { name: 'an HS256 token without sub', authorization: async () => `Bearer ${await new SignJWT({ exp: now() + 60 }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_AUTH_SECRET))}`, description: /missing sub claim/ },
      { name: 'an empty sub (no fallback to id)', authorization: () => bearerFor(betterAuthClaims({ sub: '' })), description: /sub claim/ },
      { name: 'a non-string sub', authorization: () => bearerFor(betterAuthClaims({ sub: 42 as unknown as string })), description: /sub claim/ },
      { name: 'a sub over 255 characters', authorization: async () => `Bearer ${await signTestToken('x'.repeat(256))}`, description: /sub claim too long/ },
      { name: 'no exp', authorization: () => bearerFor(without(betterAuthClaims(), 'exp')), description: /missing exp claim/ },
      { name: 'an HS256 token without exp', authorization: async () => `Bearer ${await new SignJWT({ sub: freshUserId() }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(TEST_AUTH_SECRET))}`, description: /missing exp claim/ },
      { name: 'a non-numeric exp', authorization: () => bearerFor(betterAuthClaims({ exp: 'tomorrow' as unknown as number })), description: /malformed exp claim/ },
      { name: 'a validly signed token over 8 KiB', authorization: () => bearerFor(betterAuthClaims({ padding: 'x'.repeat(8 * 1024) })), description: /token too large/ },
      { name: 'a jku header', authorization: () => bearerFor(betterAuthClaims(), { jku: 'https://evil.example/jwks' }), description: /may not name their own key/ },
      { name: 'an x5u header', authorization: () => bearerFor(betterAuthClaims(), { x5u: 'https://evil.example/cert.pem' }), description: /may not name their own key/ },
      {
        name: 'an embedded jwk header (self-signed by an attacker)',
        authorization: async () => {
          const attacker = await createSigningKey('EdDSA');
          return `Bearer ${await signWithKey(attacker, betterAuthClaims(), { jwk: { kty: attacker.publicJwk.kty, crv: attacker.publicJwk.crv, x: attacker.publicJwk.x } })}`;
        },
        description: /may not name their own key/,
      },
      { name: 'an x5c header', authorization: () => bearerFor(betterAuthClaims(), { x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A'] }), description: /may not name their own key/ },
      {
        name: 'an unknown critical header extension',
        authorization: async () => {
          // jose refuses to sign this, so the EdDSA signature is made by hand.
          const unsigned = craftToken({ alg: 'EdDSA', kid: trusted.kid, crit: ['x-must-understand'], 'x-must-understand': true }, betterAuthClaims());
          const signature = await crypto.subtle.sign('Ed25519', trusted.privateKey, new TextEncoder().encode(unsigned.slice(0, -1)));
          return `Bearer ${unsigned}${Buffer.from(signature).toString('base64url')}`;
        },
        description: /unsupported token/,
      },
    ];

    it.each(cases)('$name', async ({ authorization, description }) => {
      const res = await me(await authorization()).expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'https://tasks-api.dev/problems/unauthorized', title: 'Unauthorized', status: 401, instance: '/api/me' });
      // The handler would have answered 200 with the principal.
      expect(res.body.id).toBeUndefined();
      const challenge = res.headers['www-authenticate'];
      if (description === undefined) {
        expect(challenge).toBe(CHALLENGE);
      } else {
        expect(challenge).toMatch(/^Bearer realm="tasks-api", error="invalid_token", error_description="[ -!#-[\]-~]+"$/);
        expect(challenge).toMatch(description);
      }
    });

    it('covers at least the 20 cases the issue lists', () => {
      expect(cases.length).toBeGreaterThanOrEqual(20);
    });
  });

  it('refuses two Authorization headers with 400 (RFC 6750 invalid_request), whichever token comes first', async () => {
    const user = await freshUser();
    const other = await freshUser();
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    // Node would keep only the first header; a raw request sends both, as a confused proxy might.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.end(`GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${user.authorization}\r\nAuthorization: ${other.authorization}\r\nConnection: close\r\n\r\n`),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
    const answer = { status: Number(head.split(' ')[1]), body };
    expect(answer.status).toBe(400);
    expect(header('content-type')).toMatch(/^application\/problem\+json/);
    expect(header('www-authenticate')).toBe(`${CHALLENGE}, error="invalid_request", error_description="more than one Authorization header"`);
    const problem = JSON.parse(answer.body) as Record<string, unknown>;
    expect(problem).toMatchObject({ type: 'https://tasks-api.dev/problems/bad-request', status: 400, instance: '/api/me' });
    expect(problem.id).toBeUndefined();
    // One header is still fine.
    expect((await me(user.authorization).expect(200)).body.id).toBe(user.id);
  });
});
