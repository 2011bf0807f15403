import { Logger } from '@nestjs/common';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { ChangeNotifier, type ChangeMessage, encodeMessage } from './change-notifier.js';

/** The channel the `record_task_change()` trigger notifies (migration 1764900000000). */
const CHANNEL = 'tasks_api_events';
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 10_000;

/**
 * The default transport: PostgreSQL LISTEN/NOTIFY, no server beyond the database. Task changes are
 * notified by the trigger, in the writing transaction; reminders by a `pg_notify()` through the
 * pool. Receiving takes one dedicated connection per instance (LISTEN needs a
 * session of its own, which a pooled connection is not), reconnected with back-off after an
 * outage. Notifications are per database, so instances over one database hear each other.
 */
export class PgChangeNotifier extends ChangeNotifier {
  private readonly logger = new Logger('Events');
  private client?: pg.Client;
  private started = false;
  private closed = false;
  private publishFailing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly connectTimeoutMs: number,
  ) {
    super();
  }

  publish(ownerId: string, message: ChangeMessage): void {
    this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, encodeMessage(ownerId, message)]).then(
      () => (this.publishFailing = false),
      (error: unknown) => {
        if (!this.publishFailing) this.logger.warn(`Could not publish a change notification (streams catch up on their timer): ${String(error)}`);
        this.publishFailing = true;
      },
    );
  }

  protected start(): void {
    if (this.started) return;
    this.started = true;
    void this.listen();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    for (let delay = FIRST_RETRY_MS; !this.closed; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
      const url = (this.dataSource.options as { url?: string }).url;
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: this.connectTimeoutMs, keepAlive: true, application_name: 'tasks-api-events' });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query(`LISTEN ${CHANNEL}`);
      } catch (error) {
        await client.end().catch(() => undefined);
        if (delay === FIRST_RETRY_MS) this.logger.warn(`Cannot LISTEN for change notifications, retrying (streams catch up on their timer): ${String(error)}`);
        await sleep(delay);
        continue;
      }
      if (this.closed) return void (await client.end().catch(() => undefined));
      this.client = client;
      client.on('notification', (notification) => this.received(notification.payload ?? ''));
      client.once('end', () => {
        this.client = undefined;
        if (!this.closed) void this.listen();
      });
      this.connected();
      return;
    }
  }
}
