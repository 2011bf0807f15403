import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recurring tasks (issue 20): the rule, its zone and where the series stands on `tasks`, and the
 * completions of recurring tasks (which stay open when completed) in `task_completions`.
 */
export class TaskRecurrence1764500000000 implements MigrationInterface {
  name = 'TaskRecurrence1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE tasks
        ADD COLUMN recurrence text,
        ADD COLUMN time_zone text,
        ADD COLUMN recurrence_base text NOT NULL DEFAULT 'due',
        ADD COLUMN recurrence_anchor timestamp,
        ADD COLUMN recurrence_done integer NOT NULL DEFAULT 0,
        ADD CONSTRAINT tasks_recurrence_length CHECK (char_length(recurrence) <= 500),
        ADD CONSTRAINT tasks_time_zone_length CHECK (char_length(time_zone) <= 64),
        ADD CONSTRAINT tasks_recurrence_base CHECK (recurrence_base IN ('due', 'completion')),
        ADD CONSTRAINT tasks_recurrence_schedule CHECK (recurrence IS NULL OR (time_zone IS NOT NULL AND due_at IS NOT NULL AND recurrence_anchor IS NOT NULL))`);
    await queryRunner.query(`
      CREATE TABLE task_completions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        owner_id text NOT NULL,
        task_id uuid NOT NULL,
        due_at timestamptz,
        completed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT task_completions_pkey PRIMARY KEY (id),
        CONSTRAINT task_completions_task_fk FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX task_completions_owner_task_idx ON task_completions (owner_id, task_id, completed_at, id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE task_completions`);
    await queryRunner.query(`
      ALTER TABLE tasks
        DROP COLUMN recurrence_done, DROP COLUMN recurrence_anchor, DROP COLUMN recurrence_base, DROP COLUMN time_zone, DROP COLUMN recurrence`);
  }
}
