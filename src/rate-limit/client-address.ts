import ipaddr from 'ipaddr.js';

/**
 * What a per-IP limit counts: an IPv4 address (IPv4-mapped IPv6 included) by itself, an IPv6
 * address by its /64, since one client usually holds a whole /64 and could otherwise take a new
 * address, and a fresh limit, for every request.
 */
export function rateLimitedAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  return `${address.toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}
