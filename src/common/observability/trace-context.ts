import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** A request's place in a distributed trace (W3C Trace Context). */
export interface TraceContext {
  traceId: string;
  /** This service's span for the request: the parent-id it passes on. */
  spanId: string;
  flags: string;
}

// https://www.w3.org/TR/trace-context/#traceparent-header-field-values. Version 00 has exactly
// these four fields; a later version may append more, which a version-00 parser must ignore.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/** The trace a `traceparent` header names, or undefined when it is absent or invalid (ignored, never an error). */
export function parseTraceparent(header: string | string[] | undefined): Pick<TraceContext, 'traceId' | 'flags'> | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(parentId)) return undefined;
  return { traceId, flags };
}

/** The header that passes `context` on to a service this one calls. */
export function traceparentOf(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

const contexts = new WeakMap<FastifyRequest, TraceContext>();
const currentContext = new AsyncLocalStorage<TraceContext>();

/** The trace of the request being handled, if its client sent one: for outgoing calls (the JWKS fetch). */
export function currentTraceContext(): TraceContext | undefined {
  return currentContext.getStore();
}

/** The trace id of `request`, if its client sent a valid `traceparent`. */
export function traceIdOf(request: FastifyRequest): string | undefined {
  return contexts.get(request)?.traceId;
}

/**
 * Accepts a client's `traceparent`: its trace id goes into the access log, the response carries
 * `traceresponse` (Trace Context Level 2) naming this service's span, and calls made while
 * handling the request pass the trace on. Requests without one cost a header lookup.
 */
export function registerTraceContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const incoming = parseTraceparent(request.headers.traceparent);
    if (!incoming) return done();
    const context = { ...incoming, spanId: randomBytes(8).toString('hex') };
    contexts.set(request, context);
    void reply.header('traceresponse', traceparentOf(context));
    // The rest of the request runs inside this context (as @fastify/request-context does it).
    currentContext.run(context, done);
  });
}
