import type { FastifyInstance } from 'fastify';
import { httpRequestDuration, httpRequests } from './metrics.registry.js';

/** The label for requests no route matched (404s, 405s): one value, whatever the URL was. */
const UNMATCHED_ROUTE = 'unmatched';

/**
 * Request count and duration by method, route pattern and status. The route is Fastify's pattern
 * (`/api/tasks/:id`), never the URL, so the number of series stays bounded whatever clients send.
 */
export function registerRequestMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? UNMATCHED_ROUTE, status: String(reply.statusCode) };
    httpRequests.inc(labels);
    httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
