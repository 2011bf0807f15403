import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The `webhooks` table: URLs a user registered to be called on each firing of their reminders
 * (at most WEBHOOKS_PER_USER each). `secret` signs the deliveries; `failures` counts failed
 * attempts in a row, and past WEBHOOK_DISABLE_AFTER the webhook is disabled (`disabled_at`).
 */
@Entity({ name: 'webhooks' })
@Index('webhooks_owner_idx', ['ownerId', 'createdAt'])
@Check('webhooks_url_length', 'char_length(url) <= 2048')
export class Webhook {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'webhooks_pkey' })
  id!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'text' })
  secret!: string;

  @Column({ type: 'integer', default: 0 })
  failures!: number;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
