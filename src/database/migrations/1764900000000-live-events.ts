import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live events (GET /api/events):
 * - `task_changes.operation`: insert, update or delete, from the trigger's TG_OP, so a stream can
 *   say `task.created` rather than `task.updated`. Rows written before this migration are
 *   backfilled as `update` or `delete` (whether they were inserts is no longer known). The default
 *   only makes adding the column cheap (no table rewrite) and is dropped at once.
 * - `record_task_change()` replaced (CREATE OR REPLACE) to fill it, and to wake the streams of the
 *   owner on every instance: `pg_notify('tasks_api_events', {"o": owner, "x": xid})`; the xid
 *   tells a stream how far it must have read before the change is in. A NOTIFY is delivered
 *   only when its transaction commits (never for a rolled-back write), once per transaction and
 *   owner (PostgreSQL folds identical ones), covers every write path, and costs no round trip.
 *   The payload is the owner id, never task data. The trigger itself is unchanged.
 * - `event_tickets`: single-use stream tickets, stored as their SHA-256 (EventTicket).
 */
export class LiveEvents1764900000000 implements MigrationInterface {
  name = 'LiveEvents1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "task_changes" ADD "operation" text NOT NULL DEFAULT 'update'`);
    await queryRunner.query(`UPDATE "task_changes" SET "operation" = 'delete' WHERE "deleted"`);
    await queryRunner.query(`ALTER TABLE "task_changes" ALTER COLUMN "operation" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "task_changes" ADD CONSTRAINT "task_changes_operation_check" CHECK ("operation" IN ('insert', 'update', 'delete'))`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION record_task_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          INSERT INTO task_changes (owner_id, task_id, xid, deleted, operation) VALUES (OLD.owner_id, OLD.id, pg_current_xact_id()::text::bigint, true, 'delete');
          PERFORM pg_notify('tasks_api_events', json_build_object('o', OLD.owner_id, 'x', pg_current_xact_id()::text)::text);
        ELSE
          INSERT INTO task_changes (owner_id, task_id, xid, deleted, operation) VALUES (NEW.owner_id, NEW.id, pg_current_xact_id()::text::bigint, false, lower(TG_OP));
          PERFORM pg_notify('tasks_api_events', json_build_object('o', NEW.owner_id, 'x', pg_current_xact_id()::text)::text);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TABLE "event_tickets" ("hash" bytea NOT NULL, "owner_id" text NOT NULL, "email" text, "name" text, "issuer" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "event_tickets_pkey" PRIMARY KEY ("hash"))`,
    );
    await queryRunner.query(`CREATE INDEX "event_tickets_expires_at_idx" ON "event_tickets" ("expires_at")`);
    await queryRunner.query(`CREATE INDEX "event_tickets_owner_idx" ON "event_tickets" ("owner_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "event_tickets"`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION record_task_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          INSERT INTO task_changes (owner_id, task_id, xid, deleted) VALUES (OLD.owner_id, OLD.id, pg_current_xact_id()::text::bigint, true);
        ELSE
          INSERT INTO task_changes (owner_id, task_id, xid, deleted) VALUES (NEW.owner_id, NEW.id, pg_current_xact_id()::text::bigint, false);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`ALTER TABLE "task_changes" DROP CONSTRAINT "task_changes_operation_check"`);
    await queryRunner.query(`ALTER TABLE "task_changes" DROP COLUMN "operation"`);
  }
}
