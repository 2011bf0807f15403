import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { ProblemType } from '../problem/problem-type.js';

const PROBLEM_MEDIA_TYPE = 'application/problem+json';
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const REQUEST_ID = 'b3f1c2d4-0000-4000-8000-000000000000';

const problem = (status: number, type: string, title: string, detail: string, extensions: object = {}) => ({
  type,
  title,
  status,
  detail,
  instance: '/api/tasks',
  requestId: REQUEST_ID,
  ...extensions,
});

/** One realistic body per documented error status, so that each response shows its own example. */
const EXAMPLES: Record<string, object> = {
  400: problem(400, ProblemType.ValidationError, 'Validation failed', 'The request has 1 invalid field: title.', {
    errors: [{ field: 'title', message: 'title must be 1 to 200 characters long (after trimming)' }],
  }),
  401: problem(401, ProblemType.Unauthorized, 'Unauthorized', 'The bearer token was rejected: token expired.'),
  403: problem(403, ProblemType.Forbidden, 'Forbidden', 'The user in the path is not the caller: you can only reach your own tasks.'),
  404: problem(404, ProblemType.NotFound, 'Not Found', 'There is no task 0b8a5a8e-3c1f-4d7e-9a51-6f1f2c3d4e5f.'),
  409: problem(409, ProblemType.Conflict, 'Conflict', 'A request with this Idempotency-Key is being processed. Retry shortly.'),
  412: problem(412, ProblemType.PreconditionFailed, 'Precondition Failed', 'The task has changed since the version named in If-Match. Fetch it again and retry.'),
  413: problem(413, ProblemType.PayloadTooLarge, 'Payload Too Large', 'The request body is larger than this API accepts.'),
  415: problem(415, ProblemType.UnsupportedMediaType, 'Unsupported Media Type', 'Send request bodies as application/json.'),
  422: problem(422, ProblemType.Unprocessable, 'Unprocessable Entity', 'This Idempotency-Key was already used, within the last 24 hours, for a request with a different body.'),
  429: problem(429, ProblemType.TooManyRequests, 'Too Many Requests', 'Too many requests: retry after the time in Retry-After.'),
  503: problem(503, ProblemType.ServiceUnavailable, 'Service Unavailable', 'The database is unavailable right now. Retry shortly.'),
};

/**
 * Gives every problem+json response of the document the example of its own status. The shared
 * ProblemDetails schema can only carry one (the 400's), which Swagger UI would show for all.
 */
export function withProblemExamples(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      for (const [status, response] of Object.entries(operation?.responses ?? {}) as [string, ResponseObject][]) {
        const media = response.content?.[PROBLEM_MEDIA_TYPE];
        if (!media || media.example !== undefined || !EXAMPLES[status]) continue;
        // A copy: response objects may be shared between operations.
        operation!.responses[status] = { ...response, content: { ...response.content, [PROBLEM_MEDIA_TYPE]: { ...media, example: EXAMPLES[status] } } };
      }
    }
  }
  return document;
}
