import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from './auth-errors.js';
import { bearerTokenFrom, MAX_TOKEN_LENGTH, protectedHeaderOf } from './bearer-token.js';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (header: unknown) => `${part(header)}.${part({ sub: 'u' })}.c2ln`;
const described = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof InvalidTokenError ? error.description : `unexpected ${String(error)}`;
  }
  return 'accepted';
};

describe('bearerTokenFrom', () => {
  it('takes the token out of a Bearer header, whatever the case of the scheme', () => {
    expect(bearerTokenFrom('Bearer a.b.c')).toBe('a.b.c');
    expect(bearerTokenFrom('bearer a.b.c')).toBe('a.b.c');
    expect(bearerTokenFrom('BEARER   a.b.c ')).toBe('a.b.c');
  });

  it('reports no bearer credentials (no RFC 6750 error) for a missing header or another scheme', () => {
    expect(bearerTokenFrom(undefined)).toBeUndefined();
    expect(bearerTokenFrom('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerTokenFrom('BearerToken a.b.c')).toBeUndefined();
  });

  it('rejects malformed bearer headers', () => {
    expect(described(() => bearerTokenFrom('Bearer'))).toBe('malformed Authorization header');
    expect(described(() => bearerTokenFrom('Bearer '))).toBe('malformed Authorization header');
    expect(described(() => bearerTokenFrom('Bearer a.b.c d.e.f'))).toBe('malformed Authorization header');
    expect(described(() => bearerTokenFrom(['Bearer a.b.c', 'Bearer d.e.f']))).toBe('more than one Authorization header');
    expect(described(() => bearerTokenFrom('Bearer abc'))).toBe('not a signed JWT');
    expect(described(() => bearerTokenFrom('Bearer a.b.'))).toBe('not a signed JWT');
    expect(described(() => bearerTokenFrom('Bearer a.b.c.d.e'))).toBe('not a signed JWT');
    expect(described(() => bearerTokenFrom('Bearer a+b.c/d.e='))).toBe('not a signed JWT');
  });

  it('refuses tokens over 8 KiB before looking at them', () => {
    const long = `${'a'.repeat(MAX_TOKEN_LENGTH)}.b.c`;
    expect(described(() => bearerTokenFrom(`Bearer ${long}`))).toBe('token too large');
    const justFits = `${'a'.repeat(MAX_TOKEN_LENGTH - 4)}.b.c`;
    expect(bearerTokenFrom(`Bearer ${justFits}`)).toBe(justFits);
  });
});

describe('protectedHeaderOf', () => {
  it('returns a well-formed header', () => {
    expect(protectedHeaderOf(token({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' }))).toEqual({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' });
  });

  it('rejects headers that are not JSON objects or name no algorithm', () => {
    expect(described(() => protectedHeaderOf('bm90IGpzb24.e30.c2ln'))).toBe('malformed token header');
    expect(described(() => protectedHeaderOf(token([1, 2])))).toBe('malformed token header');
    expect(described(() => protectedHeaderOf(token({ typ: 'JWT' })))).toBe('missing alg header');
    expect(described(() => protectedHeaderOf(token({ alg: '' })))).toBe('missing alg header');
    expect(described(() => protectedHeaderOf(token({ alg: 7 })))).toBe('missing alg header');
  });

  it('rejects alg none in any spelling', () => {
    for (const alg of ['none', 'None', 'NONE']) expect(described(() => protectedHeaderOf(token({ alg })))).toBe('unsigned tokens are not accepted');
  });

  it('rejects every header that tries to supply its own key', () => {
    for (const name of ['jku', 'jwk', 'x5u', 'x5c']) {
      expect(described(() => protectedHeaderOf(token({ alg: 'EdDSA', [name]: 'whatever' })))).toBe('tokens may not name their own key');
    }
  });

  it('rejects a non-string kid', () => {
    expect(described(() => protectedHeaderOf(token({ alg: 'EdDSA', kid: 1 })))).toBe('malformed kid header');
  });
});
