import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Task } from '../tasks/task.entity.js';

/**
 * The `reminders` table: up to 5 per task, each relative to the task's dueAt (`before`, an ISO 8601
 * duration, re-armed for every occurrence of a recurring task) or absolute (`at`). `fire_at` is when
 * it fires next, null when nothing is armed; the poller claims due rows with FOR UPDATE SKIP LOCKED
 * (reminder.statements.ts). A trigger on `tasks` re-arms the relative ones when dueAt changes (see
 * the migration). The partial index on `fire_at` is beyond TypeORM's decorators, hence `synchronize: false`.
 */
@Entity({ name: 'reminders' })
@Index('reminders_owner_task_idx', ['ownerId', 'taskId'])
@Index('reminders_fire_at_idx', { synchronize: false })
@Check('reminders_one_kind', '(before IS NULL) <> (at IS NULL)')
@Check('reminders_before_length', 'char_length(before) <= 32')
export class Reminder {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'reminders_pkey' })
  id!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'reminders_task_fk' })
  task?: Task;

  @Column({ type: 'text', nullable: true })
  before!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  at!: Date | null;

  @Column({ name: 'fire_at', type: 'timestamptz', nullable: true })
  fireAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
