import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Clock } from '../common/clock/clock.js';
import { PollLoop } from '../common/polling/poll-loop.js';
import type { AppConfig } from '../config/app-config.js';
import type { DeliveryRow } from './webhook.statements.js';
import { postWebhook, WEBHOOK_HEADERS, webhookSignature } from './webhook-sender.js';
import { resolveWebhookTarget } from './webhook-target.js';
import { WebhooksRepository } from './webhooks.repository.js';

const BATCH = 50;
const TIMEOUT_MS = 5_000;
/** A leased delivery is retried after this if its sender never reports back (it died). */
const LEASE_MS = 60_000;
/** Attempts per delivery before it is given up. */
export const MAX_ATTEMPTS = 8;
/** Failed attempts in a row, across deliveries, before the webhook is disabled. */
export const DISABLE_AFTER = 15;
const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * Sends the queued deliveries (webhook_deliveries, written with each firing): leases the due ones,
 * POSTs each, signed, to the address checked at send time, then records success or schedules the
 * retry with exponential back-off. Polls on the reminder poller's interval.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: PollLoop;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly clock: Clock,
    private readonly config: ConfigService<AppConfig, true>,
  ) {
    this.loop = new PollLoop(() => this.dispatch(), config.get('reminders', { infer: true }).pollMs, new Logger('Webhooks'));
  }

  onApplicationBootstrap(): void {
    if (this.config.get('reminders', { infer: true }).enabled) this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Sends what is due now. */
  async dispatch(): Promise<void> {
    for (;;) {
      const deliveries = await this.webhooks.lease({ now: this.clock.now(), limit: BATCH, leaseMs: LEASE_MS });
      await Promise.all(deliveries.map((delivery) => this.deliver(delivery)));
      if (deliveries.length < BATCH || this.loop.isStopped) return;
    }
  }

  private async deliver(delivery: DeliveryRow): Promise<void> {
    const body = JSON.stringify(delivery.payload);
    const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
    const headers = { [WEBHOOK_HEADERS.id]: delivery.id, [WEBHOOK_HEADERS.timestamp]: timestamp, [WEBHOOK_HEADERS.signature]: webhookSignature(delivery.secret, timestamp, body) };
    let error: string;
    try {
      const target = await resolveWebhookTarget(delivery.url, this.config.get('webhooks', { infer: true }).allowPrivate);
      const status = await postWebhook(target, headers, body, TIMEOUT_MS);
      if (status >= 200 && status < 300) return await this.webhooks.delivered({ id: delivery.id, webhookId: delivery.webhookId, now: this.clock.now() });
      error = `HTTP ${status}`;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const now = this.clock.now();
    const delay = Math.min(this.config.get('webhooks', { infer: true }).retryBaseMs * 2 ** (delivery.attempts - 1), MAX_RETRY_DELAY_MS);
    const retryAt = delivery.attempts >= MAX_ATTEMPTS ? null : new Date(now.getTime() + delay);
    await this.webhooks.failed({ id: delivery.id, webhookId: delivery.webhookId, error, retryAt, disableAfter: DISABLE_AFTER, now });
  }
}
