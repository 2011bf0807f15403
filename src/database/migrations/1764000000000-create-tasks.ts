import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tasks table and the idempotency records of POST /api/tasks (issue 4).
 *
 * Every list query is `owner_id = $1` plus a keyset range on one sort key, so each sort has a
 * btree index `(owner_id, <sort key>, id)` that serves both directions (a backward scan gives the
 * descending order). The dueAt sorts put tasks without a due date last in both directions: their
 * keys are `coalesce(due_at, 'infinity')` ascending and `coalesce(due_at, '-infinity')` descending,
 * which are never NULL, so the keyset predicate stays a plain row comparison (an index range
 * condition) instead of an `OR due_at IS NULL` that no index can serve. Titles sort
 * case-insensitively by `lower(title) COLLATE "C"`: byte order, the same on every server whatever
 * its default collation.
 *
 * Timestamps keep PostgreSQL's microseconds: cursors carry each sort key as the text PostgreSQL
 * prints for it (see src/tasks/task-cursor.ts), never a JavaScript Date, so they are exact.
 */
export class CreateTasks1764000000000 implements MigrationInterface {
  name = 'CreateTasks1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Declaration order is the sort order: none < low < medium < high.
    await queryRunner.query(`CREATE TYPE task_priority AS ENUM ('none', 'low', 'medium', 'high')`);
    // The case-insensitive keys of a task's tags, for the GIN index behind `tag=` filters.
    await queryRunner.query(`
      CREATE FUNCTION task_tag_keys(tags text[]) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT ARRAY(SELECT lower(tag) FROM unnest(tags) AS tag) $$`);
    await queryRunner.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id text NOT NULL,
        title text NOT NULL,
        description text,
        completed boolean NOT NULL DEFAULT false,
        completed_at timestamptz,
        priority task_priority NOT NULL DEFAULT 'none',
        tags text[] NOT NULL DEFAULT '{}',
        tag_keys text[] NOT NULL GENERATED ALWAYS AS (task_tag_keys(tags)) STORED,
        due_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        -- 'simple': no stemming, so any language works and prefix queries match what was typed.
        search tsvector NOT NULL GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', coalesce(description, '')), 'B')
        ) STORED,
        CONSTRAINT tasks_owner_id_length CHECK (char_length(owner_id) BETWEEN 1 AND 255),
        CONSTRAINT tasks_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
        CONSTRAINT tasks_description_length CHECK (char_length(description) <= 1000),
        CONSTRAINT tasks_tags_count CHECK (cardinality(tags) <= 20),
        CONSTRAINT tasks_completed_at CHECK (completed = (completed_at IS NOT NULL)),
        CONSTRAINT tasks_version_positive CHECK (version >= 1)
      )`);
    await queryRunner.query(`CREATE INDEX tasks_owner_created_idx ON tasks (owner_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_updated_idx ON tasks (owner_id, updated_at, id)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_due_asc_idx ON tasks (owner_id, (coalesce(due_at, 'infinity'::timestamptz)), id)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_due_desc_idx ON tasks (owner_id, (coalesce(due_at, '-infinity'::timestamptz)), id)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_priority_idx ON tasks (owner_id, priority, id)`);
    await queryRunner.query(`CREATE INDEX tasks_owner_title_idx ON tasks (owner_id, (lower(title) COLLATE "C"), id)`);
    await queryRunner.query(`CREATE INDEX tasks_tag_keys_idx ON tasks USING gin (tag_keys)`);
    await queryRunner.query(`CREATE INDEX tasks_search_idx ON tasks USING gin (search)`);

    // Idempotency-Key records: per user, 24 hours. `response` is the first 201's body, replayed as is.
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        owner_id text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        task_id uuid,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (owner_id, key),
        CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
    await queryRunner.query(`DROP TABLE tasks`);
    await queryRunner.query(`DROP FUNCTION task_tag_keys(text[])`);
    await queryRunner.query(`DROP TYPE task_priority`);
  }
}
