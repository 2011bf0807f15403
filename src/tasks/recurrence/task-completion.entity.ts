import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Task } from '../task.entity.js';

/**
 * One completed occurrence of a task: a recurring task stays open when completed, so this is where
 * the completion is remembered. Listed newest first by (completed_at, id), under the owner.
 */
@Entity({ name: 'task_completions' })
@Index('task_completions_owner_task_idx', ['ownerId', 'taskId', 'completedAt', 'id'])
export class TaskCompletion {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'task_completions_pkey' })
  id!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @ManyToOne(() => Task, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'task_id', foreignKeyConstraintName: 'task_completions_task_fk' })
  task?: Task;

  /** The occurrence that was completed (the task's dueAt then). */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', default: () => 'now()' })
  completedAt!: Date;
}
