import { describe, expect, it } from 'vitest';
import { bearerTokenFrom, MAX_TOKEN_LENGTH } from './jwt.strategy.js';
import { InvalidTokenError } from './token-errors.js';

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
