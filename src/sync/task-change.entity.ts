import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What a change did, from the trigger's TG_OP: the live events tell created from updated by it. */
export const CHANGE_OPERATIONS = ['insert', 'update', 'delete'] as const;
export type ChangeOperation = (typeof CHANGE_OPERATIONS)[number];

/**
 * The `task_changes` table: one row per write of a task, appended by the `tasks_record_change`
 * trigger (migration 1764800000000), whatever wrote it. The change feed reads it in the order of
 * (xid, position); rows older than the tombstone retention are purged (ChangePurger).
 */
@Entity({ name: 'task_changes' })
@Index('task_changes_owner_xid_position_idx', ['ownerId', 'xid', 'position'])
@Index('task_changes_changed_at_idx', ['changedAt'])
@Check('task_changes_operation_check', `"operation" IN ('insert', 'update', 'delete')`)
export class TaskChange {
  /** Order within a transaction. Bigint columns come back as strings. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  position!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  /** The writing transaction's id, `pg_current_xact_id()` (an xid8, which never wraps) as a bigint. */
  @Column({ type: 'bigint' })
  xid!: string;

  /** Whether the write deleted the task. */
  @Column({ type: 'boolean' })
  deleted!: boolean;

  /** insert, update or delete (migration 1764900000000); older rows were backfilled as update or delete. */
  @Column({ type: 'text' })
  operation!: ChangeOperation;

  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' })
  changedAt!: Date;
}
