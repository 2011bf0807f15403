import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';

/** Marks public operations in the OpenAPI document (auth's @Public() sets it) until documentBearerAuth() has read it. */
export const PUBLIC_OPERATION_EXTENSION = 'x-tasks-api-public';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const UNAUTHORIZED: ResponseObject = {
  description: 'No bearer token, or one that cannot be accepted',
  headers: {
    'WWW-Authenticate': {
      description: 'RFC 6750 challenge, e.g. `Bearer realm="tasks-api", error="invalid_token", error_description="token expired"`',
      schema: { type: 'string' },
    },
  },
  // The schema of src/common/problem/problem.response.ts, registered for every document in openapi.ts.
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
};

const TOO_MANY_REQUESTS: ResponseObject = {
  description: 'The caller is over its rate limit (RATE_LIMIT_PER_USER in RATE_LIMIT_WINDOW_SECONDS), or has too many searches running',
  headers: {
    'Retry-After': { description: 'Seconds until a retry can succeed', schema: { type: 'integer' } },
    RateLimit: { description: 'draft-ietf-httpapi-ratelimit-headers, e.g. `"user";r=0;t=42` (also on successful responses)', schema: { type: 'string' } },
    'RateLimit-Policy': { description: 'draft-ietf-httpapi-ratelimit-headers, e.g. `"user";q=600;w=60` (also on successful responses)', schema: { type: 'string' } },
  },
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
};

/**
 * Documents the global guards: every operation not marked @Public() gets the bearer security
 * requirement, a 401 and a 429 response (the rate limits, src/rate-limit); public ones an explicit empty requirement. Done on the finished
 * document, so routes added by any module later are covered without decorators of their own.
 */
export function documentBearerAuth(document: OpenAPIObject, bearerScheme: string): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!operation) continue;
      if (operation[PUBLIC_OPERATION_EXTENSION] === true) {
        delete operation[PUBLIC_OPERATION_EXTENSION];
        // An empty requirement says "no authentication" explicitly (OpenAPI 3 §4.8.10).
        operation.security = [];
        continue;
      }
      operation.security = [{ [bearerScheme]: [] }];
      operation.responses['401'] ??= UNAUTHORIZED;
      operation.responses['429'] ??= TOO_MANY_REQUESTS;
    }
  }
  return document;
}
