import { describe, expect, it } from 'vitest';
import { rateLimitedAddress } from './client-address.js';

describe('rateLimitedAddress', () => {
  it('counts an IPv4 address by itself, mapped into IPv6 or not', () => {
    expect(rateLimitedAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitedAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    expect(rateLimitedAddress('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(rateLimitedAddress('2001:0db8:0001:0002:ffff:0:0:9')).toBe('2001:db8:1:2::/64');
  });
});
