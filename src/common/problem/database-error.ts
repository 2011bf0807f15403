import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { ProblemType } from './problem-type.js';
import type { ProblemOptions } from './problem.exception.js';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const UNREACHABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Connection is not established',
  'not queryable',
  'the database system is',
];
// SQLSTATE classes and codes that mean "the database cannot serve this now", not "your request is wrong".
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)/;
const STATEMENT_TIMEOUT = '57014';

/**
 * Maps database failures that are not bugs onto problems: an unreachable or overloaded database is
 * a 503 the client may retry; a constraint the client broke is a 4xx. Anything else is left to
 * the generic 500. The single place where driver errors become HTTP semantics.
 */
export function problemFromDatabaseError(error: unknown): ProblemOptions | undefined {
  if (!(error instanceof Error)) return undefined;
  const driverError = error instanceof QueryFailedError ? (error.driverError as Error & { code?: string }) : (error as Error & { code?: string });
  const code = driverError?.code ?? '';
  const message = driverError?.message ?? '';

  if (isUnavailable(error, code, message)) return serviceUnavailable('The database is unavailable right now. Retry shortly.', 5);
  // A deadlock (40P01) or serialization failure (40001): the transaction was chosen to give way to a
  // concurrent one and rolled back whole, so the same request succeeds when retried. Batches lock
  // their rows in one order to avoid this; the mapping is the safety net for any other path.
  if (code === '40P01' || code === '40001') return serviceUnavailable('The request collided with a concurrent one and was rolled back; nothing was changed. Retry it.', 1);
  if (code === '23505') {
    return { status: 409, type: ProblemType.Conflict, title: 'Conflict', detail: 'The request conflicts with data that already exists.' };
  }
  if (code === '23503') {
    return { status: 409, type: ProblemType.Conflict, title: 'Conflict', detail: 'The request refers to something that does not exist.' };
  }
  // 22021: a byte sequence PostgreSQL cannot store (U+0000 in text), e.g. in a query parameter.
  if (['22P02', '22007', '22008', '22003', '22001', '22021'].includes(code)) {
    return { status: 400, type: ProblemType.BadRequest, title: 'Bad Request', detail: 'A value in the request is out of range or malformed.' };
  }
  return undefined;
}

/** A 503 the client may retry after `retryAfterSeconds`. */
function serviceUnavailable(detail: string, retryAfterSeconds: number): ProblemOptions {
  return { status: 503, type: ProblemType.ServiceUnavailable, title: 'Service Unavailable', detail, headers: { 'retry-after': String(retryAfterSeconds) } };
}

function isUnavailable(error: Error, code: string, message: string): boolean {
  // TypeORM releases a query runner whose connection failed; a transaction's next statement then
  // throws this instead of the connection error (our code never uses a runner it released).
  if (error instanceof QueryRunnerAlreadyReleasedError) return true;
  return UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code) || code === STATEMENT_TIMEOUT || UNREACHABLE_MESSAGES.some((m) => message.includes(m));
}
