import type { MigrationInterface, QueryRunner } from 'typeorm';

const SEARCH_ENGLISH = "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')";

/**
 * Search also finds inflected English words ("session" finds "sessions", "discussed" finds
 * "Discuss"): a second word vector, stemmed by the 'english' configuration, beside the 'simple'
 * one that keeps every word as written (names, other languages, prefixes of what is being typed).
 * A search matches either (task-list.statements.ts); each has its owner-scoped GIN index, so the
 * planner reads both with a BitmapOr. Its expression is recorded in typeorm_metadata as the
 * previous migration says why.
 */
export class EnglishSearch1764300000000 implements MigrationInterface {
  name = 'EnglishSearch1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tasks ADD COLUMN search_english tsvector NOT NULL GENERATED ALWAYS AS (${SEARCH_ENGLISH}) STORED`);
    await queryRunner.query(`CREATE INDEX tasks_owner_search_english_idx ON tasks USING gin (owner_id, search_english)`);
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), current_schema(), 'tasks', 'GENERATED_COLUMN', 'search_english', $1)`,
      [SEARCH_ENGLISH],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = 'GENERATED_COLUMN' AND "schema" = current_schema() AND "table" = 'tasks' AND "name" = 'search_english'`);
    await queryRunner.query(`DROP INDEX tasks_owner_search_english_idx`);
    await queryRunner.query(`ALTER TABLE tasks DROP COLUMN search_english`);
  }
}
