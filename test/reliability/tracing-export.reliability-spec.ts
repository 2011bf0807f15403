import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshUser } from '../utils/tokens.js';
import { ApiProcess, freePort } from './api-process.js';

/** What the test reads of an OTLP/JSON trace export (the protocol's JSON encoding). */
interface ExportedSpan {
  traceId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}
interface TraceExport {
  resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: ExportedSpan[] }[] }[];
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

/** A stand-in OpenTelemetry collector: records what is POSTed to /v1/traces. */
async function startCollector(): Promise<{ server: Server; origin: string; exports: TraceExport[] }> {
  const exports: TraceExport[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') exports.push(JSON.parse(Buffer.concat(chunks).toString()) as TraceExport);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${port}`, exports };
}

/**
 * Item 5 of issue 22, end to end: the built API with OTEL_EXPORTER_OTLP_ENDPOINT set exports its
 * spans to a collector, continuing the caller's `traceparent`, and exports the last ones on SIGTERM.
 */
describe('OpenTelemetry export', () => {
  let api: ApiProcess | undefined;
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined;

  afterAll(async () => {
    api?.kill();
    await new Promise((resolve) => collector?.server.close(resolve));
  });

  it("sends the request's server span and its queries, in the caller's trace, to the collector", async () => {
    collector = await startCollector();
    api = new ApiProcess(await freePort(), inject('databaseUrl'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.origin,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    await api.start();
    const owner = await freshUser('tracing');
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${api.origin}/api/tasks`, {
      headers: { authorization: owner.authorization, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(200);
    // A stream ticket in a URL is a credential: it must not reach the collector.
    const ticket = 'tRaCeD-ticket-0123456789abcdef0123456789abcdef';
    expect((await fetch(`${api.origin}/api/events?ticket=${ticket}`)).status).toBe(401);

    // The batch processor exports every few seconds; shutting down exports what is left.
    expect(await api.terminate()).toBe(0);
    const spans = collector.exports.flatMap((batch) => batch.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)));
    const inTrace = spans.filter((span) => span.traceId === traceId);
    const server = inTrace.find((span) => span.kind === SPAN_KIND_SERVER);
    expect(server, `server span in ${JSON.stringify(spans.map((span) => span.name))}`).toBeDefined();
    expect(server!.parentSpanId).toBe('00f067aa0ba902b7');
    const attribute = (span: ExportedSpan, key: string) => span.attributes.find((entry) => entry.key === key)?.value;
    expect(attribute(server!, 'http.response.status_code') ?? attribute(server!, 'http.status_code')).toMatchObject({ intValue: expect.anything() });
    const queries = inTrace.filter((span) => span.kind === SPAN_KIND_CLIENT && attribute(span, 'db.system.name')?.stringValue === 'postgresql');
    expect(queries.length).toBeGreaterThan(0);
    const serviceNames = collector.exports.flatMap((batch) => batch.resourceSpans.map((resource) => resource.resource.attributes.find((entry) => entry.key === 'service.name')?.value.stringValue));
    expect(new Set(serviceNames)).toEqual(new Set(['tasks-api']));
    expect(spans.some((span) => JSON.stringify(span).includes('/api/events'))).toBe(true);
    expect(JSON.stringify(collector.exports)).not.toContain(ticket);
  });
});
