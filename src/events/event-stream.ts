import type { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import type { FiredReminderResponse } from '../reminders/dto/fired-reminder.response.js';
import type { FeedPosition, StreamEntry } from '../sync/sync.service.js';
import { sseComment, sseEvent } from './sse.js';

export interface StreamPage {
  entries: StreamEntry[];
  next: FeedPosition;
  hasMore: boolean;
}

/** Changes read per query; also the most a stream buffers beyond what the socket took. */
export const STREAM_PAGE = 100;
/**
 * After a wake-up that found nothing, read again after these delays: the change that woke it is
 * committed, but the feed hands it out only once every older transaction has ended.
 */
const RETRY_AFTER_WAKE_MS = [10, 20, 40, 80, 160, 320, 640, 1280];
/** Heartbeats in a row a client may leave the socket full before the stream is closed. */
const MAX_BLOCKED_BEATS = 2;

/**
 * One open GET /api/events: writes the caller's change feed, from its position on, as events.
 * Reads are triggered by wake-ups (another instance or this one published a change of the owner)
 * and by the heartbeat, so nothing depends on a wake-up arriving; one read runs at a time, and a
 * wake-up during one runs one more after it. A client that stops reading fills the socket: reading
 * pauses until it drains (at most a page is buffered), and past MAX_BLOCKED_BEATS it is closed.
 */
export class EventStream {
  private reading = false;
  private again = false;
  private blocked = false;
  private blockedBeats = 0;
  private retries = RETRY_AFTER_WAKE_MS.length;
  private retryTimer?: NodeJS.Timeout;
  /** The newest notified transaction the stream has not read past yet. */
  private awaitedXid?: bigint;
  /** Notified without a transaction id: waiting for a read that finds something. */
  private awaitingAnyChange = false;
  private readonly heartbeat: NodeJS.Timeout;
  private ended = false;

  constructor(
    readonly owner: Principal,
    private position: FeedPosition,
    private readonly raw: ServerResponse,
    /** Reads the feed (EventStreams shares one read among the owner's streams at the same position). */
    private readonly readFeed: (owner: Principal, position: FeedPosition) => Promise<StreamPage>,
    private readonly options: { heartbeatMs: number; logger: Logger; onEnd: (stream: EventStream) => void },
  ) {
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    raw.once('close', () => this.end());
    // A client gone before this listener was attached has no 'close' left to send.
    if (!raw.socket || raw.socket.destroyed) queueMicrotask(() => this.end());
    raw.on('drain', () => {
      this.blocked = false;
      this.blockedBeats = 0;
      this.wake();
    });
  }

  /** Writes entries already read (the first page, read before the response started). */
  writeEntries(entries: StreamEntry[], next: FeedPosition, hasMore: boolean): void {
    for (const entry of entries) this.write(sseEvent(`task.${entry.kind}`, entry.change, entry.token));
    this.position = next;
    if (hasMore) this.wake();
  }

  /** Reads the feed once more now (a change committed before this stream was subscribed to wake-ups). */
  catchUp(): void {
    this.wake();
  }

  /**
   * A change of the owner was committed somewhere: read the feed, and again shortly while it may not
   * be there yet. With the writer's transaction id (PostgreSQL's notifications carry it), until the
   * stream's position has passed it; without (Redis), until a read finds nothing new.
   */
  notified(xid?: string): void {
    this.retries = 0;
    if (xid === undefined) this.awaitingAnyChange = true;
    else if (this.awaitedXid === undefined || BigInt(xid) > this.awaitedXid) this.awaitedXid = BigInt(xid);
    this.wake();
  }

  reminderFired(firing: FiredReminderResponse): void {
    // No id: a reminder is not a position in the feed, and must not move where a reconnection resumes.
    if (!this.ended) this.write(sseEvent('reminder.fired', firing));
  }

  /** Ends the response (after a last comment) and forgets the stream; idempotent. */
  end(reason?: string): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.retryTimer);
    if (!this.raw.writableEnded && !this.raw.destroyed) this.raw.end(reason === undefined ? undefined : sseComment(reason));
    this.options.onEnd(this);
  }

  private beat(): void {
    if (this.blocked && ++this.blockedBeats >= MAX_BLOCKED_BEATS) {
      // Dropped, not ended: a last comment would queue behind what the client is not reading, and
      // the connection (with its buffered page) would stay until the connection timeout.
      this.raw.destroy();
      return this.end();
    }
    if (!this.blocked) this.write(sseComment('heartbeat'));
    this.wake();
  }

  private wake(): void {
    if (this.ended || this.blocked) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    void this.read();
  }

  private async read(): Promise<void> {
    this.reading = true;
    let foundLast = false;
    try {
      do {
        this.again = false;
        const page = await this.readFeed(this.owner, this.position);
        if (this.ended) return;
        this.writeEntries(page.entries, page.next, false);
        foundLast = page.entries.length > 0;
        this.again ||= page.hasMore;
      } while (this.again && !this.blocked && !this.ended);
    } catch (error) {
      // The position fell behind the tombstone retention: the client must sync from the start.
      if (error instanceof ProblemException) return this.end(`closed: ${error.problem.detail}`);
      // The database is unreachable, say: the next heartbeat tries again from the same position.
      this.options.logger.warn(`An event stream could not read the change feed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.reading = false;
    }
    if (this.awaitedXid !== undefined && BigInt(this.position.xid) > this.awaitedXid) this.awaitedXid = undefined;
    if (foundLast) this.awaitingAnyChange = false;
    const waiting = this.awaitedXid !== undefined || this.awaitingAnyChange;
    if (!waiting) this.retries = RETRY_AFTER_WAKE_MS.length;
    else if (this.retries < RETRY_AFTER_WAKE_MS.length && !this.ended) {
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.wake(), RETRY_AFTER_WAKE_MS[this.retries++]);
    } else {
      // An older transaction is taking long: the heartbeat's reads deliver the change once it ends.
      this.awaitedXid = undefined;
      this.awaitingAnyChange = false;
    }
  }

  private write(chunk: string): void {
    if (this.raw.writableEnded || this.raw.destroyed) return this.end();
    if (!this.raw.write(chunk)) this.blocked = true;
  }
}
