import type { Task } from './task.entity.js';

/**
 * The fixed statements of the tasks service. Every one is parameterised and scoped by
 * `owner_id = $1`; columns are aliased to the Task entity's property names.
 */

/** A task as the statements below return it: the entity's fields, timestamps already formatted. */
export type TaskRow = Omit<Task, 'ownerId' | 'completedAt' | 'dueAt' | 'createdAt' | 'updatedAt'> & {
  completedAt: string | null;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/**
 * A timestamptz as the API shows it (RFC 3339, UTC, milliseconds), formatted by PostgreSQL: the
 * row then needs no Date parsing and re-formatting in JavaScript, which was the costliest part of
 * mapping a list page.
 */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of a task as its response needs them (see TaskRow). */
export const TASK_COLUMNS = `id, title, description, completed, ${iso('completed_at')} AS "completedAt", priority, tags, ${iso('due_at')} AS "dueAt",
  ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt", version`;

/** $1 owner, $2 title, $3 description, $4 completed, $5 priority, $6 tags, $7 due at. */
export const INSERT_TASK = `
  INSERT INTO tasks (owner_id, title, description, completed, completed_at, priority, tags, due_at)
  VALUES ($1, $2, $3, $4, CASE WHEN $4::boolean THEN now() END, $5, $6, $7)
  RETURNING ${TASK_COLUMNS}`;

export const SELECT_TASK = `SELECT ${TASK_COLUMNS} FROM tasks WHERE owner_id = $1 AND id = $2`;

export const TASK_EXISTS = `SELECT 1 FROM tasks WHERE owner_id = $1 AND id = $2`;

export const DELETE_TASK = `DELETE FROM tasks WHERE owner_id = $1 AND id = $2`;

// The new value of each column: a field that was not sent keeps the old value.
const NEXT = {
  title: 'coalesce($3::text, title)',
  description: 'CASE WHEN $4::boolean THEN $5::text ELSE description END',
  completed: 'coalesce($6::boolean, completed)',
  priority: 'coalesce($7::task_priority, priority)',
  tags: 'coalesce($8::text[], tags)',
  dueAt: 'CASE WHEN $9::boolean THEN $10::timestamptz ELSE due_at END',
};
// A PATCH that changes nothing (e.g. completing a completed task) keeps version and updatedAt.
const CHANGED = `(${Object.values(NEXT).join(', ')}) IS DISTINCT FROM (title, description, completed, priority, tags, due_at)`;

/**
 * $1 owner, $2 id, $3 title, $4 whether description was sent, $5 description, $6 completed,
 * $7 priority, $8 tags, $9 whether dueAt was sent, $10 due at, $11 the versions If-Match allows
 * (null: any). The version check and the write are one statement, so two updates made with the
 * same If-Match can never both succeed: the second waits for the first's row lock, then sees the
 * new version and matches nothing.
 */
export const UPDATE_TASK = `
  UPDATE tasks SET
    title = ${NEXT.title},
    description = ${NEXT.description},
    completed = ${NEXT.completed},
    completed_at = CASE WHEN ${NEXT.completed} THEN coalesce(completed_at, now()) END,
    priority = ${NEXT.priority},
    tags = ${NEXT.tags},
    due_at = ${NEXT.dueAt},
    version = version + CASE WHEN ${CHANGED} THEN 1 ELSE 0 END,
    updated_at = CASE WHEN ${CHANGED} THEN now() ELSE updated_at END
  WHERE owner_id = $1 AND id = $2 AND ($11::int[] IS NULL OR version = ANY($11::int[]))
  RETURNING ${TASK_COLUMNS}`;

export const TOGGLE_TASK = `
  UPDATE tasks SET
    completed = NOT completed,
    completed_at = CASE WHEN completed THEN NULL ELSE now() END,
    version = version + 1,
    updated_at = now()
  WHERE owner_id = $1 AND id = $2
  RETURNING ${TASK_COLUMNS}`;

/** Tags compare ignoring case; each is shown in its most used spelling. */
export const LIST_TAGS = `
  SELECT mode() WITHIN GROUP (ORDER BY tag) AS name,
         (count(*) FILTER (WHERE NOT completed))::int AS open,
         count(*)::int AS total
  FROM tasks CROSS JOIN LATERAL unnest(tags) AS tag
  WHERE owner_id = $1
  GROUP BY lower(tag)
  ORDER BY lower(tag) COLLATE "C"`;

/** $1 owner, $2 key, $3 request hash. Claims the key, or an expired record of it; no row when it is taken. */
export const CLAIM_IDEMPOTENCY_KEY = `
  INSERT INTO idempotency_keys AS k (owner_id, key, request_hash, expires_at)
  VALUES ($1, $2, $3, now() + interval '24 hours')
  ON CONFLICT (owner_id, key) DO UPDATE
    SET request_hash = excluded.request_hash, task_id = NULL, response = NULL, created_at = now(), expires_at = excluded.expires_at
    WHERE k.expires_at <= now()
  RETURNING 1`;

/** $1 owner, $2 key, $3 task id, $4 the response body. */
export const RECORD_IDEMPOTENT_RESPONSE = `UPDATE idempotency_keys SET task_id = $3, response = $4 WHERE owner_id = $1 AND key = $2`;

export const SELECT_IDEMPOTENCY_RECORD = `
  SELECT request_hash AS "requestHash", response FROM idempotency_keys WHERE owner_id = $1 AND key = $2 AND expires_at > now()`;

export const PURGE_IDEMPOTENCY_KEYS = `DELETE FROM idempotency_keys WHERE expires_at <= now()`;
