import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { invalidField } from '../common/problem/invalid-field.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
const KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * The request's Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): 1 to 255
 * visible ASCII characters, or undefined when absent. Anything else is a 400.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY.test(value)) {
    throw invalidField(IDEMPOTENCY_KEY_HEADER, `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 printable ASCII characters, sent once`);
  }
  return value;
});

/** A fingerprint of a request's meaning: equal for requests that would create the same task. */
export function requestFingerprint(values: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url');
}
