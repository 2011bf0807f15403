import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed's record (GET /api/tasks/changes): `task_changes`, appended by a trigger on
 * `tasks` for every insert, update and delete, so that every write path (REST, the compatibility
 * routes, MCP, and any later one) is recorded without any statement of its own changing, and in
 * the writing transaction (a rolled-back write leaves no change). Each row carries its transaction's
 * id (`pg_current_xact_id()`, an xid8, stored as a bigint, which it always fits): the feed hands out
 * only changes of transactions below the oldest one still running, so a change that commits late
 * can never fall behind a token already handed out (src/sync/sync.statements.ts says how).
 *
 * The tables have entities (TaskChange, SyncHorizon) checked by `npm run migration:check`; the
 * function and the trigger are not tracked by TypeORM (it has no decorators for them), so a
 * generated migration neither sees nor drops them: they live here only.
 *
 * `tasks_owner_id_idx` serves the feed's first snapshot, a keyset over the caller's task ids.
 */
export class TaskChanges1764800000000 implements MigrationInterface {
  name = 'TaskChanges1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "task_changes" ("position" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "owner_id" text NOT NULL, "task_id" uuid NOT NULL, "xid" bigint NOT NULL, "deleted" boolean NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_32c4ef7185246628cda1e7634a5" PRIMARY KEY ("position"))`,
    );
    await queryRunner.query(`CREATE INDEX "task_changes_changed_at_idx" ON "task_changes" ("changed_at")`);
    await queryRunner.query(`CREATE INDEX "task_changes_owner_xid_position_idx" ON "task_changes" ("owner_id", "xid", "position")`);
    await queryRunner.query(
      `CREATE TABLE "sync_horizon" ("id" smallint NOT NULL DEFAULT '1', "purged_xid" bigint NOT NULL DEFAULT '0', "purged_position" bigint NOT NULL DEFAULT '0', CONSTRAINT "sync_horizon_single_row" CHECK (id = 1), CONSTRAINT "PK_7ce1227edcc142be8447b7f3b89" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`INSERT INTO "sync_horizon" DEFAULT VALUES`);
    await queryRunner.query(`CREATE INDEX "tasks_owner_id_idx" ON "tasks" ("owner_id", "id")`);
    await queryRunner.query(`
      CREATE FUNCTION record_task_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          INSERT INTO task_changes (owner_id, task_id, xid, deleted) VALUES (OLD.owner_id, OLD.id, pg_current_xact_id()::text::bigint, true);
        ELSE
          INSERT INTO task_changes (owner_id, task_id, xid, deleted) VALUES (NEW.owner_id, NEW.id, pg_current_xact_id()::text::bigint, false);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER tasks_record_change AFTER INSERT OR UPDATE OR DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION record_task_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tasks_record_change ON tasks`);
    await queryRunner.query(`DROP FUNCTION record_task_change()`);
    await queryRunner.query(`DROP INDEX "tasks_owner_id_idx"`);
    await queryRunner.query(`DROP TABLE "sync_horizon"`);
    await queryRunner.query(`DROP TABLE "task_changes"`);
  }
}
