import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search (`q=`) and tag filters read only the caller's own index entries, and a list query never
 * fans out to parallel workers.
 *
 * The first migration's GIN indexes held every user's words and tags, so a search found the
 * matches of all users and then threw away those of others (a BitmapAnd with an owner index):
 * the more users, the dearer each search. `(owner_id, search)` and `(owner_id, tag_keys)` (btree_gin
 * supplies the `text` operator class for owner_id) find only the caller's rows: on the benchmark's
 * data, searches and tag filters ran faster (BENCHMARKS.md has the EXPLAIN figures).
 *
 * `parallel_workers = 0`: for a user with a million tasks, PostgreSQL chose a parallel sequential
 * scan of the whole table for a search, on three backends, over the GIN index on one, which was
 * faster (BENCHMARKS.md). One API request should cost one backend: under concurrent load the workers
 * only take CPU from other requests. A search that matches a large share of a user's tasks still
 * gets a (serial) sequential scan when that is cheaper; the planner still decides.
 *
 * btree_gin is a trusted contrib extension (PostgreSQL 13+): the database's owner can create it, and
 * it ships with PostgreSQL's official images, the embedded server and the managed services.
 */
export class OwnerScopedGinIndexes1764100000000 implements MigrationInterface {
  name = 'OwnerScopedGinIndexes1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await queryRunner.query(`CREATE INDEX tasks_owner_search_idx ON tasks USING gin (owner_id, search)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_tag_keys_idx ON tasks USING gin (owner_id, tag_keys)`);
    await queryRunner.query(`DROP INDEX tasks_search_idx`);
    await queryRunner.query(`DROP INDEX tasks_tag_keys_idx`);
    await queryRunner.query(`ALTER TABLE tasks SET (parallel_workers = 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tasks RESET (parallel_workers)`);
    await queryRunner.query(`CREATE INDEX tasks_search_idx ON tasks USING gin (search)`);
    await queryRunner.query(`CREATE INDEX tasks_tag_keys_idx ON tasks USING gin (tag_keys)`);
    await queryRunner.query(`DROP INDEX tasks_owner_search_idx`);
    await queryRunner.query(`DROP INDEX tasks_owner_tag_keys_idx`);
    // The extension stays: other objects of the database may have come to use it.
  }
}
