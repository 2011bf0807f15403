import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from './token-errors.js';
import { principalFromClaims } from './principal.js';

const rejection = (claims: Record<string, unknown>) => {
  try {
    principalFromClaims(claims, 'issuer');
  } catch (error) {
    return error instanceof InvalidTokenError ? error.description : `unexpected ${String(error)}`;
  }
  return 'accepted';
};

describe('principalFromClaims', () => {
  it('rejects a sub with control characters, which no user id contains (and PostgreSQL text cannot store U+0000)', () => {
    expect(rejection({ sub: 'alice\u0000' })).toBe('malformed sub claim');
    expect(rejection({ sub: 'ali\nce' })).toBe('malformed sub claim');
    expect(rejection({ sub: 'alice with spaces' })).toBe('accepted');
  });

  it('rejects a sub that is not Unicode text (a lone surrogate), so two subjects never map to one stored owner', () => {
    expect(rejection({ sub: 'alice\ud800' })).toBe('malformed sub claim');
    expect(rejection({ sub: '\udc00alice' })).toBe('malformed sub claim');
    expect(rejection({ sub: 'ali\ud83d\ude00ce' })).toBe('accepted');
  });

  it('maps sub, email and name, and records the issuer', () => {
    expect(principalFromClaims({ sub: 'u1', email: 'a@x.io', name: 'A', extra: 1 }, 'https://auth.example')).toEqual({ id: 'u1', email: 'a@x.io', name: 'A', issuer: 'https://auth.example' });
  });

  it('leaves out profile fields that are absent, empty, not strings or absurdly long', () => {
    expect(principalFromClaims({ sub: 'u1', email: '', name: 42 }, 'i')).toEqual({ id: 'u1', issuer: 'i' });
    expect(principalFromClaims({ sub: 'u1', name: 'n'.repeat(1000) }, 'i')).toEqual({ id: 'u1', issuer: 'i' });
  });

  it("falls back to id only for Better Auth's user object without sub", () => {
    expect(principalFromClaims({ id: 'ba-user', email: 'a@x.io', emailVerified: true }, 'i').id).toBe('ba-user');
    expect(rejection({ id: 'ba-user' })).toBe('missing sub claim');
    expect(rejection({ email: 'a@x.io' })).toBe('missing sub claim');
  });

  it('prefers sub over id when both are present', () => {
    expect(principalFromClaims({ sub: 'from-sub', id: 'from-id', email: 'a@x.io' }, 'i').id).toBe('from-sub');
  });

  it('never falls back when sub is present but unusable', () => {
    expect(rejection({ sub: '', id: 'ba-user', email: 'a@x.io' })).toBe('empty or malformed sub claim');
    expect(rejection({ sub: '   ' })).toBe('empty or malformed sub claim');
    expect(rejection({ sub: 42, id: 'ba-user', email: 'a@x.io' })).toBe('empty or malformed sub claim');
    expect(rejection({ sub: null })).toBe('empty or malformed sub claim');
  });

  it('accepts opaque ids of 1 to 255 characters', () => {
    expect(principalFromClaims({ sub: 'x' }, 'i').id).toBe('x');
    expect(principalFromClaims({ sub: 'x'.repeat(255) }, 'i').id).toHaveLength(255);
    expect(rejection({ sub: 'x'.repeat(256) })).toBe('sub claim too long');
  });
});
