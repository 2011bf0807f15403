import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { freshUserId } from './tokens.js';

export const TEST_ISSUER = 'https://auth.tasks-api.test';
export const TEST_AUDIENCE = 'https://api.tasks-api.test';

/** An asymmetric key pair as Better Auth's JWT plugin holds one: the private key and its public JWK. */
export interface TestSigningKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function createSigningKey(alg = 'EdDSA', kid: string = randomUUID()): Promise<TestSigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), alg, kid, use: 'sig' } };
}

/** Claims shaped like Better Auth's JWT plugin payload, for a fresh user, valid for 15 minutes. */
export function betterAuthClaims(overrides: JWTPayload = {}): JWTPayload & { sub: string } {
  const sub = freshUserId();
  const now = Math.floor(Date.now() / 1000);
  return { id: sub, email: `${sub}@example.com`, name: sub, emailVerified: true, sub, iat: now, exp: now + 900, iss: TEST_ISSUER, aud: TEST_AUDIENCE, ...overrides };
}

/** Signs exactly `payload` (nothing added) with `key`; `header` adds or overrides header parameters. */
export async function signWithKey(key: TestSigningKey, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
}

/** A compact JWS assembled by hand, for headers no honest library would produce (e.g. `alg: none`). */
export function craftToken(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part(payload)}.${signature}`;
}
