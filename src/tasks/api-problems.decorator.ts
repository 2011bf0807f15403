import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemResponse } from '../common/problem/problem.response.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: `errors` lists every broken rule (field, query parameter or header)',
  403: 'The path names another user',
  404: 'No such task (tasks of other users are not found either)',
  412: 'If-Match names a version the task is no longer at',
  410: 'The sync token is older than the tombstone retention: sync again without `since`',
  413: "The body is larger than the server's size limit (given in the API description)",
  415: 'The body is not JSON',
  422: 'The Idempotency-Key was used with a different body',
};

/**
 * Documents the problem+json error responses of an operation. 401 is not listed here: the auth
 * module documents it on every protected operation (documentBearerAuth).
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemResponse),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } },
      }),
    ),
  );
}
