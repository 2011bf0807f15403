import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics. One registry per process (not per app): counters that code
 * outside Nest increments (the JWKS fetch, the problem+json writer) need no injection, and a
 * process exposes one set of metrics whatever it runs.
 */
export const metricsRegistry = new Registry();

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route pattern (never the raw URL) and status.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from receiving a request to answering it, by method, route pattern and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const jwksFetches = new Counter({
  name: 'auth_jwks_fetches_total',
  help: 'Fetches of the authorization server\'s JWKS, by outcome (ok, error).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const refusals = new Counter({
  name: 'http_refusals_total',
  help: 'Requests refused by a rate limit or a quota, by problem type.',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

let defaultMetricsCollected = false;

/** prom-client's process metrics (event-loop lag, heap, CPU, handles); only once metrics are served. */
export function collectProcessMetrics(): void {
  if (defaultMetricsCollected) return;
  defaultMetricsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry });
}
