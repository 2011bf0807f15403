import { jwtVerify } from 'jose';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devToken, UsageError } from './dev-token.js';

const SECRET = 'a-development-secret-of-enough-length-0123';
const env = () => ({ NODE_ENV: 'development', BETTER_AUTH_SECRET: SECRET, DATA_DIR: mkdtempSync(join(tmpdir(), 'dev-token-')) });

describe('devToken (npm run token)', () => {
  it('signs an HS256 token with sub, email, name and the requested lifetime', async () => {
    const { token } = await devToken(['--sub', 'alice', '--email', 'a@x.io', '--name', 'Alice', '--ttl', '2h'], env());
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ['HS256'] });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'alice', email: 'a@x.io', name: 'Alice' });
    expect(payload.exp! - payload.iat!).toBe(2 * 3600);
  });

  it('defaults to a one-hour token without profile claims', async () => {
    const { token } = await devToken(['--sub', 'bob'], env());
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET));
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.email).toBeUndefined();
  });

  it('refuses to run in production', async () => {
    await expect(devToken(['--sub', 'alice'], { ...env(), NODE_ENV: 'production' })).rejects.toThrow(/production/);
  });

  it.each([
    { args: [], message: /--sub is required/ },
    { args: ['--sub', ''], message: /--sub is required/ },
    { args: ['--sub', 'x'.repeat(256)], message: /at most 255/ },
    { args: ['--sub', 'a', '--ttl', 'soon'], message: /--ttl/ },
    { args: ['--sub', 'a', '--admin'], message: /admin/ },
  ])('explains a wrong call: $args', async ({ args, message }) => {
    const attempt = devToken(args, env());
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
});
