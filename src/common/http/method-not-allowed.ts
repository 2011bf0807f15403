import type { FastifyInstance } from 'fastify';
import Router, { type HTTPMethod } from 'find-my-way';
import { ProblemType } from '../problem/problem-type.js';
import { sendProblem } from '../problem/problem-details.filter.js';

/**
 * A known path with a method it does not support is answered 405 with `Allow` (RFC 9110
 * §15.5.6), not 404. Fastify's router only says "no route", so every route is also entered in a
 * second router (the same library Fastify uses, with the same trailing-slash rule) that is asked,
 * only for requests that found no route, which methods the path has.
 */
export function registerMethodNotAllowed(fastify: FastifyInstance, routerOptions: { ignoreTrailingSlash: boolean }): void {
  const routes = Router({ ignoreTrailingSlash: routerOptions.ignoreTrailingSlash });
  const methods = new Set<HTTPMethod>();
  fastify.addHook('onRoute', (route) => {
    // The CORS preflight's catch-all OPTIONS route is not a method of every path.
    if (route.url === '*') return;
    for (const method of [route.method].flat() as HTTPMethod[]) {
      methods.add(method);
      routes.on(method, route.url, () => undefined);
    }
  });

  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allowed = [...methods].filter((method) => routes.find(method, path) !== null);
    if (allowed.length === 0) return done();
    void reply.header('allow', allowed.join(', '));
    sendProblem(request, reply, {
      status: 405,
      type: ProblemType.MethodNotAllowed,
      detail: `${request.method} is not supported here; this path supports ${allowed.join(', ')}.`,
    });
  });
}
