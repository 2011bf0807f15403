import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Webhook } from './webhook.entity.js';

/**
 * The `webhook_deliveries` table, an outbox: a row per event and webhook, written in the statement
 * that records the event (a reminder's firing), so none is lost to a crash. `next_attempt_at` is
 * when to try next (null: delivered or given up); a sender leases a row by moving it forward, so a
 * sender that dies mid-request leaves it to be retried. Delivery is at least once: receivers
 * deduplicate by the `Webhook-Id` header.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('webhook_deliveries_next_attempt_idx', { synchronize: false })
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhook_deliveries_pkey' })
  id!: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId!: string;

  @ManyToOne(() => Webhook, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'webhook_deliveries_webhook_fk' })
  webhook?: Webhook;

  @Column({ type: 'text' })
  event!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
