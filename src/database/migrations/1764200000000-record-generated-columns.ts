import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The expressions of the generated columns, as the Task entity's `asExpression` states them (TypeORM compares the text). */
const GENERATED_COLUMNS = [
  ['tag_keys', 'task_tag_keys(tags)'],
  ['search', "setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', coalesce(description, '')), 'B')"],
] as const;

/**
 * Records the generated columns of `tasks` in `typeorm_metadata`, as TypeORM does when it makes
 * a generated column itself. PostgreSQL prints a generation expression in its own normalised form,
 * so TypeORM compares an entity's `asExpression` with the text it recorded there. The first
 * migration made these columns in SQL, leaving no record: `migration:generate` failed on a freshly
 * migrated database (`relation "typeorm_metadata" does not exist`), and without the rows it would
 * re-create both columns. `npm run migration:check` proves the entities and the schema agree.
 */
export class RecordGeneratedColumns1764200000000 implements MigrationInterface {
  name = 'RecordGeneratedColumns1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // TypeORM's own table, column for column (RdbmsSchemaBuilder.createTypeormMetadataTable). TypeORM
    // creates it before running migrations when its data source has entities with generated columns.
    await queryRunner.query(
      `CREATE TABLE IF NOT EXISTS "typeorm_metadata" ("type" character varying NOT NULL, "database" character varying, "schema" character varying, "table" character varying, "name" character varying, "value" text)`,
    );
    for (const [name, expression] of GENERATED_COLUMNS) {
      await queryRunner.query(
        `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), current_schema(), 'tasks', 'GENERATED_COLUMN', $1, $2)`,
        [name, expression],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = 'GENERATED_COLUMN' AND "schema" = current_schema() AND "table" = 'tasks' AND "name" = ANY($1)`,
      [GENERATED_COLUMNS.map(([name]) => name)],
    );
    // Dropped once nothing else is recorded in it, so that reverting every migration empties the schema.
    const [{ empty }] = (await queryRunner.query(`SELECT NOT EXISTS (SELECT FROM "typeorm_metadata") AS empty`)) as [{ empty: boolean }];
    if (empty) await queryRunner.query(`DROP TABLE "typeorm_metadata"`);
  }
}
