import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { ChangeNotifier, type ChangeMessage, encodeMessage } from './change-notifier.js';

const CHANNEL = 'tasks-api:events';

/**
 * The transport when REDIS_URL is set (the Redis the rate limits share): pub/sub through ioredis,
 * the client already used for the rate limits, well kept and reconnecting on its own (and
 * subscribing again after a reconnection). A subscribed connection can do nothing else, hence two.
 * For deployments where the database has no session to spare for LISTEN (a transaction pooler).
 */
export class RedisChangeNotifier extends ChangeNotifier {
  private readonly logger = new Logger('Events');
  private readonly publisher: Redis;
  private subscriber?: Redis;
  private publishFailing = false;

  constructor(private readonly url: string) {
    super();
    // No offline queue: while Redis is down a publish fails at once, and streams catch up on their timer.
    this.publisher = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.publisher.on('error', () => undefined);
  }

  publish(ownerId: string, message: ChangeMessage): void {
    this.publisher.publish(CHANNEL, encodeMessage(ownerId, message)).then(
      () => (this.publishFailing = false),
      (error: unknown) => {
        if (!this.publishFailing) this.logger.warn(`Could not publish a change notification (streams catch up on their timer): ${String(error)}`);
        this.publishFailing = true;
      },
    );
  }

  protected start(): void {
    if (this.subscriber) return;
    // Subscribed by hand on every (re)connection, and only once the subscription is confirmed are the
    // streams told to look: a change published between "ready" and the subscription would otherwise
    // wait for their timer.
    const subscriber = (this.subscriber = new Redis(this.url, { autoResubscribe: false }));
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, payload: string) => this.received(payload));
    subscriber.on('ready', () => {
      subscriber.subscribe(CHANNEL).then(
        () => this.connected(),
        () => undefined,
      );
    });
  }

  async close(): Promise<void> {
    for (const client of [this.publisher, this.subscriber]) await client?.quit().catch(() => client.disconnect());
  }
}
