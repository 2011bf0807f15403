import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Gauge } from 'prom-client';
import type { ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';
import { ProblemType } from '../common/problem/problem-type.js';
import { ProblemException } from '../common/problem/problem.exception.js';
import type { AppConfig, EventsConfig } from '../config/app-config.js';
import { metricsRegistry } from '../metrics/metrics.registry.js';
import type { FeedPosition } from '../sync/sync.service.js';
import { SyncService } from '../sync/sync.service.js';
import { ChangeNotifier } from './change-notifier.js';
import { EventStream, STREAM_PAGE, type StreamPage } from './event-stream.js';

const openStreams = new Gauge({ name: 'event_streams_open', help: 'Open GET /api/events streams on this instance.', registers: [metricsRegistry] });

/**
 * This instance's open event streams: the caps (per user, per instance), one notifier
 * subscription per user with streams here, and the end of every stream at shutdown.
 */
@Injectable()
export class EventStreams implements OnModuleDestroy {
  private readonly logger = new Logger('Events');
  private readonly config: EventsConfig;
  /** Streams open or opening, per user: counted from before the first read, so concurrent opens cannot pass the cap. */
  private readonly slots = new Map<string, number>();
  private readonly streams = new Map<string, { streams: Set<EventStream>; unsubscribe: () => void }>();
  /** Reads running, by owner and position: the streams of one user usually stand at the same place. */
  private readonly reads = new Map<string, Promise<StreamPage>>();
  /** Feed reads running, and those waiting: at most half the pool, so streams never starve the writes. */
  private readsRunning = 0;
  private readonly readsWaiting: (() => void)[] = [];
  private readonly maxReads: number;
  private total = 0;
  private closing = false;
  private readonly stopWatchingReconnects: () => void;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly sync: SyncService,
    @Inject(ChangeNotifier) private readonly notifier: ChangeNotifier,
  ) {
    this.config = config.get('events', { infer: true });
    this.maxReads = Math.max(1, Math.floor(config.get('database', { infer: true }).poolSize / 2));
    // Wake-ups sent while the notifier was disconnected are lost: every stream looks for itself.
    this.stopWatchingReconnects = notifier.onConnected(() => this.forEachStream((stream) => stream.notified()));
  }

  /** Takes a slot for a stream of `ownerId` (429 or 503 when none is left); the returned function gives it back. */
  reserve(ownerId: string): () => void {
    if (this.closing) throw unavailable('The server is shutting down: reconnect in a moment.', 1);
    const held = this.slots.get(ownerId) ?? 0;
    if (held >= this.config.streamsPerUser) {
      throw new ProblemException({
        status: 429,
        type: ProblemType.TooManyRequests,
        detail: `At most ${this.config.streamsPerUser} event streams per user are open at once: close one first.`,
        headers: { 'retry-after': String(this.config.heartbeatSeconds) },
      });
    }
    if (this.total >= this.config.streamsMax) throw unavailable('This server holds as many event streams as it may: retry later, or on another instance.', 30);
    this.slots.set(ownerId, held + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.slots.get(ownerId) ?? 1) - 1;
      if (left > 0) this.slots.set(ownerId, left);
      else this.slots.delete(ownerId);
    };
  }

  /** Starts a stream on a response whose head is written; `release` is the slot's. */
  open(owner: Principal, position: FeedPosition, raw: ServerResponse, release: () => void): EventStream {
    const stream = new EventStream(owner, position, raw, (reader, at) => this.read(reader, at), {
      heartbeatMs: this.config.heartbeatSeconds * 1000,
      logger: this.logger,
      onEnd: (ended) => {
        release();
        openStreams.dec();
        this.forget(ended);
      },
    });
    let owned = this.streams.get(owner.id);
    if (!owned) {
      const streams = new Set<EventStream>();
      const unsubscribe = this.notifier.subscribe(owner.id, (message) => {
        for (const each of streams) {
          if (message.kind === 'changes') each.notified(message.xid);
          else each.reminderFired(message.firing);
        }
      });
      this.streams.set(owner.id, (owned = { streams, unsubscribe }));
    }
    owned.streams.add(stream);
    openStreams.inc();
    return stream;
  }

  /** First of the shutdown hooks (before the HTTP server closes, which would otherwise wait for the streams). */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.stopWatchingReconnects();
    this.forEachStream((stream) => stream.end('server shutting down: reconnect'));
    await this.notifier.close();
  }

  /** One query for every stream of `owner` that asks for the feed at `position` while it runs. */
  private read(owner: Principal, position: FeedPosition): Promise<StreamPage> {
    const key = `${owner.id}\u0000${position.xid}\u0000${position.position}`;
    let read = this.reads.get(key);
    if (!read) {
      read = this.withReadSlot(() => this.sync.streamEntries(owner, position, STREAM_PAGE)).finally(() => this.reads.delete(key));
      this.reads.set(key, read);
    }
    return read;
  }

  private async withReadSlot<T>(work: () => Promise<T>): Promise<T> {
    if (this.readsRunning < this.maxReads) this.readsRunning += 1;
    else await new Promise<void>((resolve) => this.readsWaiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes to the next waiting read, or is given back.
      const next = this.readsWaiting.shift();
      if (next) next();
      else this.readsRunning -= 1;
    }
  }

  private forget(stream: EventStream): void {
    const owned = this.streams.get(stream.owner.id);
    if (!owned?.streams.delete(stream) || owned.streams.size > 0) return;
    owned.unsubscribe();
    this.streams.delete(stream.owner.id);
  }

  private forEachStream(action: (stream: EventStream) => void): void {
    for (const { streams } of [...this.streams.values()]) for (const stream of [...streams]) action(stream);
  }
}

function unavailable(detail: string, retryAfterSeconds: number): ProblemException {
  return new ProblemException({ status: 503, type: ProblemType.ServiceUnavailable, detail, headers: { 'retry-after': String(retryAfterSeconds) } });
}
