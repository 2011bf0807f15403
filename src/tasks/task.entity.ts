import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const TASK_PRIORITIES = ['none', 'low', 'medium', 'high'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/**
 * The `tasks` table exactly as the migrations make it (src/database/migrations/), which
 * `npm run migration:check` proves: every column, index and check is declared here. Indexes on
 * expressions, and the GIN indexes with btree_gin's operator class, are beyond TypeORM's
 * decorators; they are named with `synchronize: false` so that a generated migration keeps them.
 * TasksRepository reads and writes tasks with its own statements (task.statements.ts) rather than
 * by hydrating this class; it deletes through Repository<Task>.
 */
@Entity({ name: 'tasks' })
@Index('tasks_owner_created_idx', ['ownerId', 'createdAt', 'id'])
@Index('tasks_owner_updated_idx', ['ownerId', 'updatedAt', 'id'])
@Index('tasks_owner_priority_idx', ['ownerId', 'priority', 'id'])
@Index('tasks_owner_id_idx', ['ownerId', 'id'])
@Index('tasks_owner_due_asc_idx', { synchronize: false })
@Index('tasks_owner_due_desc_idx', { synchronize: false })
@Index('tasks_owner_title_idx', { synchronize: false })
@Index('tasks_owner_search_idx', { synchronize: false })
@Index('tasks_owner_search_english_idx', { synchronize: false })
@Index('tasks_owner_tag_keys_idx', { synchronize: false })
@Check('tasks_owner_id_length', 'char_length(owner_id) BETWEEN 1 AND 255')
@Check('tasks_title_length', 'char_length(title) BETWEEN 1 AND 200')
@Check('tasks_description_length', 'char_length(description) <= 1000')
@Check('tasks_tags_count', 'cardinality(tags) <= 20')
@Check('tasks_completed_at', 'completed = (completed_at IS NOT NULL)')
@Check('tasks_version_positive', 'version >= 1')
@Check('tasks_recurrence_length', 'char_length(recurrence) <= 500')
@Check('tasks_time_zone_length', 'char_length(time_zone) <= 64')
@Check('tasks_recurrence_base', "recurrence_base IN ('due', 'completion')")
@Check('tasks_recurrence_schedule', 'recurrence IS NULL OR (time_zone IS NOT NULL AND due_at IS NOT NULL AND recurrence_anchor IS NOT NULL)')
export class Task {
  @PrimaryGeneratedColumn('uuid')
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

  /** The tags' case-insensitive keys, for the tag filter's index. */
  @Column({ name: 'tag_keys', type: 'text', array: true, generatedType: 'STORED', asExpression: 'task_tag_keys(tags)' })
  tagKeys!: string[];

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  /** An RFC 5545 RRULE (src/tasks/recurrence/), in canonical form; null: the task does not recur. */
  @Column({ type: 'text', nullable: true })
  recurrence!: string | null;

  /** The IANA zone the occurrences are computed in. */
  @Column({ name: 'time_zone', type: 'text', nullable: true })
  timeZone!: string | null;

  /** `due`: the next occurrence follows the rule; `completion`: it is an interval after the completion. */
  @Column({ name: 'recurrence_base', type: 'text', default: 'due' })
  recurrenceBase!: string;

  /** The current occurrence as local wall-clock time (the rest of the series' DTSTART); see recurrence-series.ts. */
  @Column({ name: 'recurrence_anchor', type: 'timestamp', nullable: true })
  recurrenceAnchor!: Date | null;

  /** Occurrences completed since the series started, for COUNT. */
  @Column({ name: 'recurrence_done', type: 'integer', default: 0 })
  recurrenceDone!: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  /** The words of title (weight A) and description (B), for full-text search. */
  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: "setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', coalesce(description, '')), 'B')",
  })
  search!: string;

  /** The same words stemmed as English ("sessions" → "session"), so a search also finds inflected forms. */
  @Column({
    name: 'search_english',
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')",
  })
  searchEnglish!: string;
}
