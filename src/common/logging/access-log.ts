import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import type { Logger as PinoInstance } from 'pino';
import { traceIdOf } from '../observability/trace-context.js';

/**
 * One JSON line per request: id, method, matched route, path, status, duration and the client's
 * trace id (when it sent a valid `traceparent`). Written from Fastify's onResponse hook because
 * only there are the route pattern and the final status both known, and because it runs exactly
 * once per request (including 404s and body-parser errors).
 */
export function registerAccessLog(fastify: FastifyInstance, logger: PinoInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    writeAccessLine(logger, request, reply);
    done();
  });
}

/**
 * The access line of a hijacked reply (an event stream), written when its connection closes:
 * Fastify runs no onResponse hook for a reply it no longer manages. Its duration is the stream's.
 */
export function logAccessWhenClosed(reply: FastifyReply, logger: PinoInstance = PinoLogger.root): void {
  reply.raw.once('close', () => writeAccessLine(logger, reply.request, reply));
}

function writeAccessLine(logger: PinoInstance, request: FastifyRequest, reply: FastifyReply): void {
  const line = {
    requestId: request.id,
    method: request.method,
    route: request.routeOptions.url ?? null,
    // Never the query string: an event stream's ticket travels there.
    path: request.url.split('?')[0],
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    traceId: traceIdOf(request),
  };
  // Straight to pino: Nest's LoggerService wrapper costs a context merge per call on a hot path.
  const message = `${line.method} ${line.path} ${line.status} ${line.durationMs}ms`;
  if (reply.statusCode >= 500) logger.error(line, message);
  else logger.info(line, message);
}
