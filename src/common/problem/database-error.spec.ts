import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { problemFromDatabaseError } from './database-error.js';

describe('problemFromDatabaseError', () => {
  it('answers 503 for a statement on a runner TypeORM released because its connection failed', () => {
    // The connection's error event releases the runner between two statements of a transaction;
    // the next statement throws this, not the connection error (issue 22).
    expect(problemFromDatabaseError(new QueryRunnerAlreadyReleasedError())).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
  });

  it('answers 503 for a lost connection or a deadlock, 409 for a unique violation, and nothing for other errors', () => {
    const failed = (driverError: object) => new QueryFailedError('SELECT 1', [], Object.assign(new Error('failed'), driverError));
    expect(problemFromDatabaseError(failed({ message: 'Connection terminated unexpectedly' }))?.status).toBe(503);
    expect(problemFromDatabaseError(failed({ code: '23505' }))?.status).toBe(409);
    expect(problemFromDatabaseError(failed({ code: '40P01', message: 'deadlock detected' }))).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    expect(problemFromDatabaseError(new TypeError('a bug'))).toBeUndefined();
  });
});
