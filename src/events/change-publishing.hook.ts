import type { FastifyInstance } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { ChangeNotifier } from './change-notifier.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * With Redis (REDIS_URL), publishes a wake-up for the caller once a request that may have written
 * their tasks (any authenticated POST, PUT, PATCH or DELETE: REST, the compatibility routes, MCP)
 * has been answered with success: its transaction has committed. One place for every write path;
 * a wake-up for a request that wrote nothing costs one empty read per stream of that user. With
 * PostgreSQL the trigger notifies instead, and this hook is not registered (app.setup.ts).
 *
 * A Fastify hook rather than a global Nest interceptor: the interceptor's pipeline ran on every
 * read too, and cost a read request about a tenth more CPU (BENCHMARKS.md, the limiter through Redis).
 */
export function registerChangePublishing(fastify: FastifyInstance, notifier: ChangeNotifier): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const ownerId = (request as { user?: Principal }).user?.id;
    if (ownerId !== undefined && reply.statusCode < 400 && !SAFE_METHODS.has(request.method)) notifier.publish(ownerId, { kind: 'changes' });
    done();
  });
}
