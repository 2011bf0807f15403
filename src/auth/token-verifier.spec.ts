import { describe, expect, it } from 'vitest';
import { protectedHeaderOf } from './token-verifier.js';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (header: unknown) => `${part(header)}.${part({ sub: 'u' })}.c2ln`;
/** What a refused header throws: an InvalidTokenError with this `error_description`, nothing else. */
const invalidToken = (description: string) => expect.objectContaining({ name: 'InvalidTokenError', description });

describe('protectedHeaderOf', () => {
  it('returns a well-formed header', () => {
    expect(protectedHeaderOf(token({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' }))).toEqual({ alg: 'EdDSA', kid: 'k1', typ: 'JWT' });
  });

  it('rejects headers that are not JSON objects or name no algorithm', () => {
    expect(() => protectedHeaderOf('bm90IGpzb24.e30.c2ln')).toThrow(invalidToken('malformed token header'));
    expect(() => protectedHeaderOf(token([1, 2]))).toThrow(invalidToken('malformed token header'));
    expect(() => protectedHeaderOf(token({ typ: 'JWT' }))).toThrow(invalidToken('missing alg header'));
    expect(() => protectedHeaderOf(token({ alg: '' }))).toThrow(invalidToken('missing alg header'));
    expect(() => protectedHeaderOf(token({ alg: 7 }))).toThrow(invalidToken('missing alg header'));
  });

  it('rejects alg none in any spelling', () => {
    for (const alg of ['none', 'None', 'NONE']) expect(() => protectedHeaderOf(token({ alg }))).toThrow(invalidToken('unsigned tokens are not accepted'));
  });

  it('rejects every header that tries to supply its own key', () => {
    for (const name of ['jku', 'jwk', 'x5u', 'x5c']) {
      expect(() => protectedHeaderOf(token({ alg: 'EdDSA', [name]: 'whatever' }))).toThrow(invalidToken('tokens may not name their own key'));
    }
  });

  it('rejects a non-string kid', () => {
    expect(() => protectedHeaderOf(token({ alg: 'EdDSA', kid: 1 }))).toThrow(invalidToken('malformed kid header'));
  });
});
