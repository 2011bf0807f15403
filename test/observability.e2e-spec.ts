import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MetricsServer } from '../src/metrics/metrics.server.js';
import { createTestApp } from './utils/create-test-app.js';
import { JwksServer } from './utils/jwks-server.js';
import { betterAuthClaims, createSigningKey, signWithKey } from './utils/signing-keys.js';
import { freshUser } from './utils/tokens.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

function metricsUrl(app: NestFastifyApplication): string {
  const address = app.get(MetricsServer).address();
  if (!address) throw new Error('metrics are not served');
  return `http://127.0.0.1:${address.port}`;
}

describe('metrics', () => {
  let app: NestFastifyApplication;
  let metrics: string;

  beforeAll(async () => {
    app = await createTestApp({ METRICS_PORT: '0', METRICS_TOKEN });
    metrics = metricsUrl(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  const scrape = (authorization = `Bearer ${METRICS_TOKEN}`) => request(metrics).get('/metrics').set('Authorization', authorization);

  it('counts and times requests by route pattern and status, never by raw URL', async () => {
    const user = await freshUser('metrics');
    await request(app.getHttpServer()).get('/api/tasks/00000000-0000-4000-8000-000000000000').set('Authorization', user.authorization).expect(404);
    const { text } = await scrape().expect(200).expect('content-type', /^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/tasks\/:id",status="404"\} [1-9]/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/tasks\/:id",status="404"\} [1-9]/m);
    expect(text).not.toContain('00000000-0000-4000-8000-000000000000');
  });

  it('labels requests no route matched as one series', async () => {
    await request(app.getHttpServer()).get('/no/such/path/abc123').expect(404);
    const { text } = await scrape().expect(200);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/m);
    expect(text).not.toContain('abc123');
  });

  it('shows the pool, event-loop lag and the refusal and JWKS counters', async () => {
    const { text } = await scrape().expect(200);
    expect(text).toMatch(/^db_pool_connections_in_use \d+$/m);
    expect(text).toMatch(/^db_pool_connections_idle [1-9]\d*$/m);
    expect(text).toMatch(/^db_pool_requests_waiting \d+$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toContain('# TYPE http_refusals_total counter');
    expect(text).toContain('# TYPE auth_jwks_fetches_total counter');
  });

  it('requires the token when METRICS_TOKEN is set', async () => {
    await request(metrics).get('/metrics').expect(401).expect('www-authenticate', /Bearer/);
    await scrape('Bearer not-the-metrics-token').expect(401);
  });

  it('is not served on the API port', async () => {
    await request(app.getHttpServer()).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(404);
  });
});

describe('metrics: off by default', () => {
  it('serves nothing when METRICS_PORT is unset', async () => {
    const app = await createTestApp();
    try {
      expect(app.get(MetricsServer).address()).toBeUndefined();
      await request(app.getHttpServer()).get('/metrics').expect(404);
    } finally {
      await app.close();
    }
  });
});

describe('traceparent', () => {
  let app: NestFastifyApplication;
  let jwks: JwksServer;
  const jwksTraceparents: (string | undefined)[] = [];

  beforeAll(async () => {
    const key = await createSigningKey('EdDSA');
    jwks = await new JwksServer((req, res) => {
      jwksTraceparents.push(req.headers.traceparent as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.publicJwk] }));
    }).start();
    app = await createTestApp({ AUTH_JWKS_URL: jwks.jwksUrl, LOG_LEVEL: 'info' });
    jwksToken = await signWithKey(key, betterAuthClaims());
  });
  let jwksToken: string;
  afterAll(async () => {
    await app?.close();
    await jwks?.stop();
  });
  afterEach(() => vi.restoreAllMocks());

  /** The access log line of one request to /health/live. */
  async function accessLineFor(traceparent: string): Promise<{ line: Record<string, unknown>; headers: Record<string, string> }> {
    const info = vi.spyOn(PinoLogger.root, 'info').mockImplementation(() => undefined);
    const response = await request(app.getHttpServer()).get('/health/live').set('traceparent', traceparent).expect(200);
    const call = info.mock.calls.find(([line]) => (line as { route?: string }).route === '/health/live');
    return { line: call?.[0] as Record<string, unknown>, headers: response.headers };
  }

  it('puts a valid trace id into the access log and answers with traceresponse', async () => {
    const { line, headers } = await accessLineFor(TRACEPARENT);
    expect(line).toMatchObject({ traceId: TRACE_ID, status: 200 });
    expect(headers.traceresponse).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(headers.traceresponse).not.toContain('00f067aa0ba902b7');
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['upper-case hex', TRACEPARENT.toUpperCase()],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['version 00 with extra fields', `${TRACEPARENT}-extra`],
  ])('ignores an invalid traceparent (%s), never an error', async (_name, traceparent) => {
    const { line, headers } = await accessLineFor(traceparent);
    expect(line).toMatchObject({ status: 200 });
    expect(line.traceId).toBeUndefined();
    expect(headers.traceresponse).toBeUndefined();
  });

  it('passes the trace on to the JWKS fetch', async () => {
    await request(app.getHttpServer()).get('/api/me').set('Authorization', `Bearer ${jwksToken}`).set('traceparent', TRACEPARENT).expect(200);
    expect(jwksTraceparents).toHaveLength(1);
    expect(jwksTraceparents[0]).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
  });
});
