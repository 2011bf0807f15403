import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The `idempotency_keys` table as the migrations make it: one record per owner and
 * Idempotency-Key, for 24 hours, holding the first response of a create, update or batch with that key.
 */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_expires_at_idx', ['expiresAt'])
@Check('idempotency_keys_key_length', 'char_length(key) BETWEEN 1 AND 255')
export class IdempotencyKey {
  @PrimaryColumn({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  /** requestFingerprint of the body: a retry with another body is a 422. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId!: string | null;

  /** The first success's body (a task, or a batch's results), replayed as is; null while that request is in flight. */
  @Column({ type: 'jsonb', nullable: true })
  response!: object | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
