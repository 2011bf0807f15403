import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { devToken } from '../src/cli/dev-token.js';
import { createTestApp, TEST_AUTH_SECRET } from './utils/create-test-app.js';
import { freshUserId, signTestToken } from './utils/tokens.js';

describe('auth: development tokens (npm run token) and the generated development secret', () => {
  // One application at a time: Passport keeps one 'jwt' strategy per process, the app created
  // last, so starting one closes the one before (as a restart does).
  let running: NestFastifyApplication | undefined;
  const start = async (env: Record<string, string | undefined>) => {
    await running?.close();
    running = await createTestApp(env);
    return running;
  };
  const me = (app: NestFastifyApplication, token: string) => request(app.getHttpServer()).get('/api/me').set('Authorization', `Bearer ${token}`);

  afterEach(async () => {
    vi.restoreAllMocks();
    await running?.close();
    running = undefined;
  });

  it('with no secret and no JWKS, generates a secret once in DATA_DIR (0600), says so without revealing it, and keeps it across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tasks-api-auth-'));
    const warn = vi.spyOn(Logger.prototype, 'warn');
    const first = await start({ BETTER_AUTH_SECRET: undefined, DATA_DIR: dataDir });

    const secretPath = join(dataDir, 'auth-secret');
    const secret = readFileSync(secretPath, 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(secretPath).mode & 0o777).toBe(0o600);
    const messages = warn.mock.calls.map((call) => String(call[0]));
    expect(messages.some((message) => message.includes(secretPath) && message.includes('generated'))).toBe(true);
    expect(messages.some((message) => message.includes(secret))).toBe(false);

    const id = freshUserId('alice');
    const { token, notice } = await devToken(['--sub', id, '--email', 'alice@example.com', '--name', 'Alice'], { NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(notice).toBeUndefined(); // the app made the secret; the CLI reused it
    const res = await me(first, token).expect(200);
    expect(res.body).toEqual({ id, email: 'alice@example.com', name: 'Alice', issuer: 'shared-secret' });

    const restarted = await start({ BETTER_AUTH_SECRET: undefined, DATA_DIR: dataDir });
    expect(readFileSync(secretPath, 'utf8').trim()).toBe(secret);
    await me(restarted, token).expect(200);
  });

  it('a secret the CLI generated first is the one the app then uses', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tasks-api-auth-'));
    const { token, notice } = await devToken(['--sub', 'bob'], { NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(notice).toContain(join(dataDir, 'auth-secret'));
    const app = await start({ BETTER_AUTH_SECRET: undefined, DATA_DIR: dataDir });
    await me(app, token).expect(200);
  });

  it('signs with BETTER_AUTH_SECRET when it is set, like the app', async () => {
    const app = await start({});
    const { token } = await devToken(['--sub', 'carol', '--ttl', '15m'], { NODE_ENV: 'development', BETTER_AUTH_SECRET: TEST_AUTH_SECRET, DATA_DIR: mkdtempSync(join(tmpdir(), 'tasks-api-auth-')) });
    const res = await me(app, token).expect(200);
    expect(res.body.id).toBe('carol');
  });

  it('with only a JWKS configured, HS256 tokens are refused and the CLI says why', async () => {
    const app = await start({ BETTER_AUTH_SECRET: undefined, AUTH_JWKS_URL: 'http://127.0.0.1:9/api/auth/jwks' });
    const res = await me(app, await signTestToken(freshUserId())).expect(401);
    expect(res.headers['www-authenticate']).toContain('error_description="HS256 tokens are not accepted here"');
    await expect(devToken(['--sub', 'dave'], { NODE_ENV: 'development', AUTH_JWKS_URL: 'http://127.0.0.1:9/api/auth/jwks' })).rejects.toThrow(/BETTER_AUTH_SECRET/);
  });
});
