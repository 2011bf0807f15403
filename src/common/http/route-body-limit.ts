import type { FastifyInstance } from 'fastify';

/** A route's own body limit, set with `@RouteConfig(routeBodyLimit(bytes))` on its handler. */
export const routeBodyLimit = (bytes: number) => ({ bodyLimit: bytes });

/**
 * Gives routes that ask for it (see routeBodyLimit) their own body limit: Fastify's per-route
 * `bodyLimit`, which Nest's adapter does not set, so it is copied here from the route's config as
 * Fastify registers it. Never below the global BODY_LIMIT_BYTES: a route only ever accepts more.
 */
export function registerRouteBodyLimits(fastify: FastifyInstance, globalLimit: number): void {
  fastify.addHook('onRoute', (route) => {
    const config: { bodyLimit?: unknown } | undefined = route.config;
    const requested = config?.bodyLimit;
    if (typeof requested === 'number') route.bodyLimit = Math.max(globalLimit, requested);
  });
}
