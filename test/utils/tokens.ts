import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { TEST_AUTH_SECRET } from './create-test-app.js';

const secretKey = new TextEncoder().encode(TEST_AUTH_SECRET);

/**
 * An HS256 token signed with the test app's BETTER_AUTH_SECRET, shaped like Better Auth's
 * (`sub` = user id, the user's email and name, 15-minute expiry).
 */
export async function signTestToken(sub: string, claims: Record<string, unknown> = {}, expiresIn = '15m'): Promise<string> {
  return new SignJWT({ email: `${sub}@example.com`, name: sub, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(secretKey);
}

/** A user id nobody else in the run has, so tests never share data or depend on order. */
export function freshUserId(prefix = 'user'): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

/** A fresh user and the Authorization header value for them. */
export async function freshUser(prefix?: string): Promise<{ id: string; authorization: string }> {
  const id = freshUserId(prefix);
  return { id, authorization: `Bearer ${await signTestToken(id)}` };
}

/** A secret other than the test app's, for an app configured with it (auth-another-secret.e2e-spec.ts). */
export const ANOTHER_AUTH_SECRET = 'another-secret-for-hs256-tokens-0123456789abcdef';

/** An HS256 token for `sub` signed with {@link ANOTHER_AUTH_SECRET}, valid for five minutes. */
export async function signWithAnotherSecret(sub: string): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('5m').sign(new TextEncoder().encode(ANOTHER_AUTH_SECRET));
}
