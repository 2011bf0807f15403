import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemResponse } from '../problem/problem.response.js';
import { documentBearerAuth } from './bearer-security.js';
import { withProblemExamples } from './problem-examples.js';
import { withoutDefaultsInUpdateBodies } from './update-bodies.js';

export const BEARER_SCHEME = 'bearer';
/** The tag of the original backend's routes (compat-tasks.controller.ts). */
export const COMPAT_TAG = 'tasks (compatibility)';

/** The OpenAPI 3 document of the running app, as served at /docs-json; it states the configured body limit. */
export function createOpenApiDocument(app: INestApplication, bodyLimitBytes: number): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('tasks-api')
    .setDescription(
      'A multi-user task (to-do) API. Every `/api` operation needs a Bearer JWT from Better Auth ' +
        '(HS256 with the shared secret, or the JWT plugin\'s asymmetric keys via JWKS). ' +
        'In development, `npm run token -- --sub alice` prints one. Errors are RFC 9457 problem+json. ' +
        `Request bodies are limited to ${bodyLimitBytes.toLocaleString('en')} bytes (413 beyond).`,
    )
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Better Auth JWT' }, BEARER_SCHEME)
    .addTag('health', 'Liveness and readiness probes')
    .addTag('tasks', "The caller's tasks: create, list (filters, search, sort, cursor pages), read, update with If-Match, delete; and their tags")
    .addTag(COMPAT_TAG, 'The original FastAPI backend\'s `/api/{user_id}/tasks` routes with snake_case JSON, for its existing front ends')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method, extraModels: [ProblemResponse] });
  return withoutDefaultsInUpdateBodies(withProblemExamples(documentBearerAuth(document, BEARER_SCHEME)));
}

/** Swagger UI at /docs, the document at /docs-json. */
export function setupSwagger(app: INestApplication, bodyLimitBytes: number): void {
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, bodyLimitBytes), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'tasks-api',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}
