import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

const OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    // Swagger UI at /docs loads its scripts and styles from this origin only. No
    // upgrade-insecure-requests: it breaks Swagger UI served over plain HTTP without a proxy.
    directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"], upgradeInsecureRequests: null },
  },
};

/** The headers helmet sets for {@link OPTIONS}, computed by running helmet once against a stub response. */
export function computeSecurityHeaders(options: HelmetOptions = OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  } as unknown as ServerResponse;
  helmet(options)({} as IncomingMessage, response, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error('helmet rejected its options');
  });
  return headers;
}

/**
 * helmet's headers on every response, and `Cache-Control: no-store` on those to authenticated requests. Not @fastify/helmet: it rebuilds helmet's middleware, and
 * re-parses the Content-Security-Policy, on every request, although the headers never change (a
 * visible share of a simple GET's CPU in a profile; BENCHMARKS.md). helmet itself still decides
 * what they are.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(SECURITY_HEADERS);
    // A response to a request with credentials is that user's: no cache, shared or private, keeps it.
    if (request.headers.authorization !== undefined) void reply.header('cache-control', 'no-store');
    done();
  });
}

/** Computed once, at start-up. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze(computeSecurityHeaders());
