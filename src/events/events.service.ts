import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { logAccessWhenClosed } from '../common/logging/access-log.js';
import { SyncService } from '../sync/sync.service.js';
import { STREAM_PAGE } from './event-stream.js';
import { EventStreams } from './event-streams.js';
import { sseRetry } from './sse.js';

/** How long an EventSource waits before reconnecting (SSE `retry:`): soon, since nothing is lost meanwhile. */
const RECONNECT_MS = 2_000;

/**
 * GET /api/events: everything that can refuse the request (a bad or expired token, the caps)
 * happens before the response starts, so refusals are ordinary problem+json answers; only then is
 * the reply hijacked (Fastify stops managing it) and the stream written on the raw response.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly sync: SyncService,
    private readonly streams: EventStreams,
  ) {}

  async open(owner: Principal, start: { token: string | undefined; field: string }, reply: FastifyReply): Promise<void> {
    const position = await this.sync.streamStart(owner, start.token, start.field);
    const release = this.streams.reserve(owner.id);
    let first: Awaited<ReturnType<SyncService['streamEntries']>>;
    try {
      first = await this.sync.streamEntries(owner, position, STREAM_PAGE);
    } catch (error) {
      release();
      throw error;
    }
    reply.hijack();
    logAccessWhenClosed(reply);
    const raw = reply.raw;
    const headers: OutgoingHttpHeaders = {};
    // What the hooks set so far (security headers, X-Request-Id, RateLimit, CORS).
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
    // Connection: close, so that the connection ends with the stream: a stream ended at shutdown
    // would otherwise leave a keep-alive connection behind that holds the server's close up.
    raw.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'close' });
    raw.write(sseRetry(RECONNECT_MS));
    const stream = this.streams.open(owner, position, raw, release);
    stream.writeEntries(first.entries, first.next, first.hasMore);
    // The stream hears of changes only from now on: one committed while the first page was read
    // woke no one.
    stream.catchUp();
  }
}
