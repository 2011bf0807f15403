import { createHmac } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookTarget } from './webhook-target.js';

/** The headers of a delivery (documented in the README): a receiver checks the signature, then deduplicates by id. */
export const WEBHOOK_HEADERS = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;

/** `sha256=` and the hex HMAC-SHA256, keyed by the webhook's secret, of `<timestamp>.<body>`. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POSTs the body to the target, connecting to its checked address whatever DNS says now (the
 * lookup is replaced; TLS still verifies the URL's host name). Resolves with the status; rejects
 * on a network error or after `timeoutMs`. Redirects are not followed.
 */
export function postWebhook(target: WebhookTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const pinned = (_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family } satisfies LookupAddress]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target.url,
      { method: 'POST', lookup: pinned as never, timeout: timeoutMs, headers: { 'content-type': 'application/json', 'user-agent': 'tasks-api-webhooks', ...headers } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`No answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
