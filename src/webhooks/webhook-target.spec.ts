import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookSignature } from './webhook-sender.js';
import { resolveWebhookTarget, UnsafeWebhookUrlError } from './webhook-target.js';

describe('resolveWebhookTarget', () => {
  it.each([
    'http://127.0.0.1/hook',
    'http://localhost:8080/hook',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[::1]/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://224.0.0.1/',
    'ftp://example.com/',
    'file:///etc/passwd',
    'https://user:secret@example.com/',
    'not a url',
  ])('refuses %s', async (url) => {
    await expect(resolveWebhookTarget(url, false)).rejects.toThrow(UnsafeWebhookUrlError);
  });

  it('accepts a public address and pins it', async () => {
    await expect(resolveWebhookTarget('https://93.184.216.34:8443/hook', false)).resolves.toMatchObject({ address: '93.184.216.34', family: 4 });
    await expect(resolveWebhookTarget('http://[2606:4700::1111]/', false)).resolves.toMatchObject({ address: '2606:4700::1111', family: 6 });
  });

  it('allows loopback and private addresses only when told to (development)', async () => {
    await expect(resolveWebhookTarget('http://127.0.0.1:3000/hook', true)).resolves.toMatchObject({ address: '127.0.0.1' });
  });
});

describe('webhookSignature', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<body>" keyed by the secret', () => {
    const expected = createHmac('sha256', 'secret').update('1700000000.{"a":1}').digest('hex');
    expect(webhookSignature('secret', '1700000000', '{"a":1}')).toBe(`sha256=${expected}`);
  });
});
