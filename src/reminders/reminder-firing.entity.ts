import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The `reminder_firings` table: one row per firing, written in the same statement that claims the
 * reminder, so a reminder that fired has exactly one row for that time. Kept when the reminder or
 * its task is deleted (it happened), listed by GET /api/reminders?state=fired.
 */
@Entity({ name: 'reminder_firings' })
@Index('reminder_firings_owner_fired_idx', ['ownerId', 'firedAt', 'id'])
export class ReminderFiring {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'reminder_firings_pkey' })
  id!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ name: 'reminder_id', type: 'uuid' })
  reminderId!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  /** The occurrence it reminded of (the task's dueAt when it fired). */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'scheduled_for', type: 'timestamptz' })
  scheduledFor!: Date;

  @Column({ name: 'fired_at', type: 'timestamptz' })
  firedAt!: Date;

  /** Fired well after its time (every instance was down, or the poller fell behind). */
  @Column({ type: 'boolean' })
  late!: boolean;
}
