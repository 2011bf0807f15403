import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './utils/create-test-app.js';
import { listRoutes, type RouteInfo } from './utils/routes.js';

/**
 * The reviewed list of routes open without a token. Adding a route here is a security decision:
 * say in the pull request why the route must be public.
 */
const REVIEWED_PUBLIC_ROUTES = [
  'GET /health/live', // liveness probe: no data
  'GET /health/ready', // readiness probe: database up or down, nothing else
  // RFC 9728 metadata of /mcp: read before a client has a token, to learn where to get one; configuration only.
  'GET /.well-known/oauth-protected-resource',
  'GET /.well-known/oauth-protected-resource/mcp',
];
/** Routes served outside the /api prefix (see app.setup.ts). */
const UNPREFIXED = new Set(['/health/live', '/health/ready', '/mcp', '/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']);
/** The MCP endpoint's 401 also names its protected resource metadata (MCP authorization, RFC 9728 §5.1). */
const challengeOf = (route: RouteInfo): unknown =>
  route.path === '/mcp'
    ? expect.stringMatching(/^Bearer realm="tasks-api", resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/)
    : 'Bearer realm="tasks-api"';

const urlOf = (route: RouteInfo) => (UNPREFIXED.has(route.path) ? route.path : `/api${route.path}`).replace(/:[^/]+/g, 'x');

describe('route access: secure by default', () => {
  let app: NestFastifyApplication;
  let routes: RouteInfo[];

  beforeAll(async () => {
    app = await createTestApp();
    routes = listRoutes(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds the routes (the inventory itself works)', () => {
    expect(routes.map((route) => route.route)).toEqual(
      expect.arrayContaining(['GET /health/live', 'GET /health/ready', 'GET /me', 'POST /tasks/batch', 'POST /mcp', 'GET /mcp', 'DELETE /mcp', 'GET /events', 'POST /events/tickets', ...REVIEWED_PUBLIC_ROUTES]),
    );
  });

  it('has no public route that is not in the reviewed list', () => {
    const publicRoutes = routes.filter((route) => route.isPublic).map((route) => `${route.route} (${route.handler})`);
    const unreviewed = publicRoutes.filter((route) => !REVIEWED_PUBLIC_ROUTES.includes(route.split(' (')[0]));
    expect(unreviewed, 'new public routes need a review: add them to REVIEWED_PUBLIC_ROUTES with a reason').toEqual([]);
  });

  it('answers every protected route without a token with 401, before validation or the handler', async () => {
    const protectedRoutes = routes.filter((route) => !route.isPublic && route.method !== 'ALL');
    expect(protectedRoutes.length).toBeGreaterThan(0);
    for (const route of protectedRoutes) {
      const res = await request(app.getHttpServer())[route.method.toLowerCase() as 'get'](urlOf(route));
      expect({ route: route.route, status: res.status, challenge: res.headers['www-authenticate'] }).toEqual({
        route: route.route,
        status: 401,
        challenge: challengeOf(route),
      });
    }
  });

  it('serves every reviewed public route without a token', async () => {
    for (const route of routes.filter((candidate) => candidate.isPublic)) {
      const res = await request(app.getHttpServer())[route.method.toLowerCase() as 'get'](urlOf(route));
      expect({ route: route.route, status: res.status }).not.toEqual({ route: route.route, status: 401 });
    }
  });

  it('documents the bearer requirement and the 401 on every protected operation in OpenAPI, and on no public one', async () => {
    const doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> } & Record<string, unknown>>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));
    expect(operations.length).toBeGreaterThan(0);
    for (const { route, operation } of operations) {
      const reviewedPublic = REVIEWED_PUBLIC_ROUTES.includes(route);
      expect({ route, security: operation.security, has401: '401' in operation.responses }).toEqual(
        reviewedPublic ? { route, security: [], has401: false } : { route, security: [{ bearer: [] }], has401: true },
      );
      expect(Object.keys(operation).filter((key) => key.startsWith('x-tasks-api'))).toEqual([]);
    }
    const me = doc.paths['/api/me'].get;
    expect(me.responses['401']).toMatchObject({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } } });
  });
});
