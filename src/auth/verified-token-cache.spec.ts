import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from './verified-token-cache.js';

const alice = () => ({ id: 'alice', issuer: 'https://auth.example' });

describe('VerifiedTokenCache', () => {
  it('answers the exact token it remembered, for the same key set, before it expires', () => {
    const cache = new VerifiedTokenCache(10);
    cache.remember('token-a', alice(), 2_000, 1);
    expect(cache.lookup('token-a', 1, 1_999)).toEqual(alice());
    expect(cache.lookup('token-a ', 1, 1_000)).toBeUndefined();
    expect(cache.lookup('token-', 1, 1_000)).toBeUndefined();
  });

  it('forgets a token at the moment it expires', () => {
    const cache = new VerifiedTokenCache(10);
    cache.remember('token-a', alice(), 2_000, 1);
    expect(cache.lookup('token-a', 1, 2_000)).toBeUndefined();
    expect(cache.lookup('token-a', 1, 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets a token once the key set it was verified against has changed or gone stale', () => {
    const cache = new VerifiedTokenCache(10);
    cache.remember('token-a', alice(), 2_000, 1);
    expect(cache.lookup('token-a', 2, 1_000)).toBeUndefined();
    cache.remember('token-b', alice(), 2_000, 2);
    expect(cache.lookup('token-b', undefined, 1_000)).toBeUndefined();
  });

  it('remembers nothing verified while no fresh key set was known', () => {
    const cache = new VerifiedTokenCache(10);
    cache.remember('token-a', alice(), 2_000, undefined);
    expect(cache.size).toBe(0);
  });

  it('holds at most its capacity, dropping the oldest entries', () => {
    const cache = new VerifiedTokenCache(3);
    for (const token of ['t1', 't2', 't3', 't4', 't5']) cache.remember(token, alice(), 2_000, 1);
    expect(cache.size).toBe(3);
    expect(cache.lookup('t1', 1, 0)).toBeUndefined();
    expect(cache.lookup('t2', 1, 0)).toBeUndefined();
    expect(cache.lookup('t5', 1, 0)).toEqual(alice());
  });

  it('with capacity 0, remembers nothing', () => {
    const cache = new VerifiedTokenCache(0);
    cache.remember('token-a', alice(), 2_000, 1);
    expect(cache.lookup('token-a', 1, 0)).toBeUndefined();
  });

  it('hands out frozen principals, so one request cannot change what the next one sees', () => {
    const cache = new VerifiedTokenCache(10);
    const principal = cache.remember('token-a', alice(), 2_000, 1);
    expect(Object.isFrozen(principal)).toBe(true);
    expect(() => Object.assign(principal, { id: 'mallory' })).toThrow(TypeError);
  });
});
