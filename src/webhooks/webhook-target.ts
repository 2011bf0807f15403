import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The address a webhook request goes to, checked once and then used for the connection (pinned). */
export interface WebhookTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class UnsafeWebhookUrlError extends Error {}

/**
 * Resolves the URL's host and checks every address it has: only public unicast ones are allowed
 * (no loopback, private, link-local, carrier-grade NAT, multicast or reserved ranges, including
 * IPv4-mapped IPv6), unless `allowPrivate` (development). The request then connects to the address
 * checked here, never to a second resolution, so DNS rebinding cannot point it elsewhere.
 */
export async function resolveWebhookTarget(rawUrl: string, allowPrivate: boolean): Promise<WebhookTarget> {
  const url = parseWebhookUrl(rawUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true }).catch(() => []);
  if (addresses.length === 0) throw new UnsafeWebhookUrlError(`The host ${host} does not resolve`);
  if (!allowPrivate) {
    const refused = addresses.find(({ address }) => ipaddr.process(address).range() !== 'unicast');
    if (refused) throw new UnsafeWebhookUrlError(`The host ${host} resolves to ${refused.address}, a ${ipaddr.process(refused.address).range()} address: only public addresses are allowed`);
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** An http(s) URL without credentials; throws UnsafeWebhookUrlError. */
export function parseWebhookUrl(rawUrl: string): URL {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UnsafeWebhookUrlError('The URL is not valid');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeWebhookUrlError('Only http and https URLs are allowed');
  if (url.username !== '' || url.password !== '') throw new UnsafeWebhookUrlError('The URL must not carry credentials');
  return url;
}
