import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders (issue 20): `reminders` (what is armed, and when it fires next) and `reminder_firings`
 * (what fired). A relative reminder fires `before` the task's dueAt, for every occurrence of a
 * recurring task, so whenever dueAt changes, whichever statement changed it, the trigger re-arms
 * the task's relative reminders, in the same transaction; a time already past is not armed (moving
 * a task into the past does not fire its reminders at once).
 */
export class Reminders1764600000000 implements MigrationInterface {
  name = 'Reminders1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reminders (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        owner_id text NOT NULL,
        task_id uuid NOT NULL,
        before text,
        at timestamptz,
        fire_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reminders_pkey PRIMARY KEY (id),
        CONSTRAINT reminders_task_fk FOREIGN KEY (task_id) REFERENCES tasks (id) ON DELETE CASCADE,
        CONSTRAINT reminders_one_kind CHECK ((before IS NULL) <> (at IS NULL)),
        CONSTRAINT reminders_before_length CHECK (char_length(before) <= 32)
      )`);
    await queryRunner.query(`CREATE INDEX reminders_owner_task_idx ON reminders (owner_id, task_id)`);
    // The poller's scan: only armed reminders, in firing order.
    await queryRunner.query(`CREATE INDEX reminders_fire_at_idx ON reminders (fire_at) WHERE fire_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE reminder_firings (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        owner_id text NOT NULL,
        reminder_id uuid NOT NULL,
        task_id uuid NOT NULL,
        due_at timestamptz,
        scheduled_for timestamptz NOT NULL,
        fired_at timestamptz NOT NULL,
        late boolean NOT NULL,
        CONSTRAINT reminder_firings_pkey PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX reminder_firings_owner_fired_idx ON reminder_firings (owner_id, fired_at, id)`);
    await queryRunner.query(`
      CREATE FUNCTION rearm_task_reminders() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE reminders SET fire_at = CASE WHEN NEW.due_at - before::interval > now() THEN NEW.due_at - before::interval END
        WHERE task_id = NEW.id AND before IS NOT NULL;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tasks_rearm_reminders AFTER UPDATE OF due_at ON tasks
      FOR EACH ROW WHEN (OLD.due_at IS DISTINCT FROM NEW.due_at) EXECUTE FUNCTION rearm_task_reminders()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tasks_rearm_reminders ON tasks`);
    await queryRunner.query(`DROP FUNCTION rearm_task_reminders()`);
    await queryRunner.query(`DROP TABLE reminder_firings`);
    await queryRunner.query(`DROP TABLE reminders`);
  }
}
