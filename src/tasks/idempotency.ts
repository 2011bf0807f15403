import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { invalidField } from '../common/problem/invalid-field.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import type { TasksRepository } from './tasks.repository.js';

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

export interface IdempotentRequest {
  ownerId: string;
  key: string;
  /** requestFingerprint of what the request means: the same key with another fingerprint is a 422. */
  fingerprint: string;
}

/** What an idempotent request's work produced: the response to store, and the task it is about (if one). */
export interface IdempotentOutcome<Response extends object> {
  response: Response;
  taskId: string | null;
}

/**
 * Claims the key, does the work and records its response in one transaction; or, for a key
 * already used, replays the first response (422 when it was for another request). Concurrent
 * requests with the same key wait on the claim's row lock until the first commits, then replay its
 * response. If the work fails, its claim rolls back with it and a retry does the work again.
 */
export async function idempotently<Response extends object>(
  repository: TasksRepository,
  { ownerId, key, fingerprint }: IdempotentRequest,
  work: (manager: EntityManager) => Promise<IdempotentOutcome<Response>>,
): Promise<{ response: Response; replayed: boolean }> {
  const done = await repository.transaction(async (manager) => {
    if (!(await repository.claimIdempotencyKey({ ownerId, key, fingerprint }, manager))) return undefined;
    const outcome = await work(manager);
    await repository.recordIdempotentResponse({ ownerId, key, ...outcome }, manager);
    return outcome.response;
  });
  if (done) return { response: done, replayed: false };

  const record = await repository.findIdempotencyRecord({ ownerId, key });
  // The fingerprint says which request stored it, and so the response's type.
  if (record?.response && record.requestHash === fingerprint) return { response: record.response as Response, replayed: true };
  if (record?.response) {
    throw new ProblemException({
      status: 422,
      type: ProblemType.Unprocessable,
      detail: 'This Idempotency-Key was already used, within the last 24 hours, for a request with a different body.',
    });
  }
  // The key's record expired or was taken over between the two statements: rare, and safe to retry.
  throw new ProblemException({ status: 409, type: ProblemType.Conflict, detail: 'A request with this Idempotency-Key is being processed. Retry shortly.' });
}
