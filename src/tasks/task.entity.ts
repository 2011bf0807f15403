import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const TASK_PRIORITIES = ['none', 'low', 'medium', 'high'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/**
 * A task row, as created by CreateTasks1764000000000 (the migration is the source of truth; this
 * class documents it and registers it with TypeORM). The service reads rows with raw,
 * parameterised SQL, aliased to these property names (TaskRow in task.sql.ts, with timestamps
 * already formatted by PostgreSQL), so nothing is hydrated per request. The generated columns
 * `tag_keys` and `search` only feed indexes and are never read, so they are not mapped here.
 */
@Entity({ name: 'tasks' })
@Index('tasks_owner_created_idx', ['ownerId', 'createdAt', 'id'])
@Index('tasks_owner_updated_idx', ['ownerId', 'updatedAt', 'id'])
@Index('tasks_owner_priority_idx', ['ownerId', 'priority', 'id'])
export class Task {
  @PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()' })
  id!: string;

  @Column({ name: 'owner_id', type: 'text' })
  ownerId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'boolean', default: false })
  completed!: boolean;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'enum', enum: TASK_PRIORITIES, enumName: 'task_priority', default: 'none' })
  priority!: TaskPriority;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'integer', default: 1 })
  version!: number;
}
