import type { RecurrenceBase } from './recurrence/recurrence-series.js';
import type { TaskPriority } from './task.entity.js';

/**
 * The hand-written SQL on `tasks`, as pure builders from named arguments to one parameterised
 * statement each: TasksRepository runs them, and the benchmark's baseline server runs the very
 * same ones. Every statement is scoped by `owner_id = $1` and binds every value. They stay SQL
 * rather than QueryBuilder on purpose: the timestamps come back formatted by PostgreSQL, the
 * update is one conditional statement, and the list is a keyset over expressions
 * (task-list.statements.ts); QueryBuilder would only hide that SQL, not say it better.
 */

/** One statement: SQL text with `$n` placeholders, and the values they bind, in order. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** A task as every statement here returns it; TaskResponse.from maps it. Timestamps are RFC 3339 (UTC, milliseconds). */
export interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  completedAt: string | null;
  priority: TaskPriority;
  tags: string[];
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  recurrence: string | null;
  timeZone: string | null;
  recurrenceBase: RecurrenceBase;
}

/** A task with where its series stands (see recurrence-series.ts), which the API does not show. */
export interface ScheduledTaskRow extends TaskRow {
  recurrenceAnchor: string | null;
  recurrenceDone: number;
}

/** Which task, always with whose: a task is only ever reached through its owner. */
export interface TaskKey {
  ownerId: string;
  id: string;
}

/** What a client sets on a task. `dueAt` is an ISO 8601 instant. */
export interface TaskFields {
  title: string;
  description: string | null;
  completed: boolean;
  priority: TaskPriority;
  tags: string[];
  dueAt: string | null;
}

/** A task's recurrence, and where its series stands: set as a whole. */
export interface TaskSchedule {
  recurrence: string | null;
  timeZone: string | null;
  recurrenceBase: RecurrenceBase;
  /** ISO 8601 local date-time; null without a recurrence. */
  recurrenceAnchor: string | null;
  recurrenceDone: number;
}

export interface NewTask extends TaskFields, TaskSchedule {
  ownerId: string;
}

export interface TaskUpdate extends TaskKey {
  /** The fields sent: `undefined` keeps the old value, `null` clears (description, dueAt). */
  changes: Partial<TaskFields>;
  /**
   * The new schedule, when the service worked it out (holding the row lock). Without it, the
   * statement leaves a recurring task alone if it would complete it or move its due date (no row):
   * those need the service's recurrence rules (RecurringTasks).
   */
  schedule?: TaskSchedule;
  /** The versions If-Match allows; null: any. */
  allowedVersions: number[] | null;
}

/**
 * A timestamptz as the API shows it (RFC 3339, UTC, milliseconds), formatted by PostgreSQL: the
 * row then needs no Date parsing and re-formatting in JavaScript, which was the costliest part of
 * mapping a list page.
 */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of a TaskRow. */
export const TASK_COLUMNS = `id, title, description, completed, ${iso('completed_at')} AS "completedAt", priority, tags, ${iso('due_at')} AS "dueAt",
  ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt", version,
  recurrence, time_zone AS "timeZone", recurrence_base AS "recurrenceBase"`;

/** The columns of a ScheduledTaskRow. */
const SCHEDULED_TASK_COLUMNS = `${TASK_COLUMNS}, to_char(recurrence_anchor, 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "recurrenceAnchor", recurrence_done AS "recurrenceDone"`;

/**
 * Inserts only while the owner has fewer than `maxOwnedTasks` tasks ($13; no row otherwise). The
 * count reads the owner's index entries and stops at the limit, so it costs nothing for ordinary
 * users; concurrent creates of one owner may each pass it, so the limit can be overshot by at
 * most the creates in flight at once (bounded by the connection pools).
 */
const INSERT_TASK = `
  INSERT INTO tasks (owner_id, title, description, completed, completed_at, priority, tags, due_at, recurrence, time_zone, recurrence_base, recurrence_anchor, recurrence_done)
  SELECT $1, $2, $3, $4, CASE WHEN $4::boolean THEN now() END, $5, $6, $7, $8, $9, $10, $11, $12
  WHERE (SELECT count(*) FROM (SELECT FROM tasks WHERE owner_id = $1 LIMIT $13) AS owned) < $13
  RETURNING ${TASK_COLUMNS}`;

export function insertTaskStatement(task: NewTask, maxOwnedTasks: number): Statement {
  const { ownerId, title, description, completed, priority, tags, dueAt } = task;
  return { text: INSERT_TASK, values: [ownerId, title, description, completed, priority, tags, dueAt, ...scheduleValues(task), maxOwnedTasks] };
}

function scheduleValues({ recurrence, timeZone, recurrenceBase, recurrenceAnchor, recurrenceDone }: TaskSchedule): unknown[] {
  return [recurrence, timeZone, recurrenceBase, recurrenceAnchor, recurrenceDone];
}

const SELECT_TASK = `SELECT ${TASK_COLUMNS} FROM tasks WHERE owner_id = $1 AND id = $2`;

export function selectTaskStatement({ ownerId, id }: TaskKey): Statement {
  return { text: SELECT_TASK, values: [ownerId, id] };
}

const TASK_EXISTS = `SELECT 1 FROM tasks WHERE owner_id = $1 AND id = $2`;

const SELECT_SCHEDULED_TASK = `SELECT ${SCHEDULED_TASK_COLUMNS} FROM tasks WHERE owner_id = $1 AND id = $2`;

/** The task and where its series stands (a ScheduledTaskRow). */
export function selectScheduledTaskStatement({ ownerId, id }: TaskKey): Statement {
  return { text: SELECT_SCHEDULED_TASK, values: [ownerId, id] };
}

/** The task as a ScheduledTaskRow, locked until the end of the transaction: the service then decides its next state. */
export function lockTaskStatement({ ownerId, id }: TaskKey): Statement {
  return { text: `${SELECT_SCHEDULED_TASK} FOR UPDATE`, values: [ownerId, id] };
}

/**
 * Locks the owner's tasks among `ids` in id order: every batch takes its row locks in the same
 * order before writing, so two batches over the same tasks queue behind each other instead of
 * deadlocking (the sort runs below the row locking, so rows are locked as sorted).
 */
export function lockTasksStatement({ ownerId, ids }: { ownerId: string; ids: string[] }): Statement {
  return { text: 'SELECT id FROM tasks WHERE owner_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE', values: [ownerId, ids] };
}

export function taskExistsStatement({ ownerId, id }: TaskKey): Statement {
  return { text: TASK_EXISTS, values: [ownerId, id] };
}

// The new value of each column: a field that was not sent keeps the old value. $4 and $9 say
// whether description and dueAt were sent, since null there means "clear".
const NEXT = {
  title: 'coalesce($3::text, title)',
  description: 'CASE WHEN $4::boolean THEN $5::text ELSE description END',
  completed: 'coalesce($6::boolean, completed)',
  priority: 'coalesce($7::task_priority, priority)',
  tags: 'coalesce($8::text[], tags)',
  dueAt: 'CASE WHEN $9::boolean THEN $10::timestamptz ELSE due_at END',
  // $12 says whether a schedule was sent (TaskUpdate.schedule), as a whole.
  recurrence: 'CASE WHEN $12::boolean THEN $13::text ELSE recurrence END',
  timeZone: 'CASE WHEN $12::boolean THEN $14::text ELSE time_zone END',
  recurrenceBase: 'CASE WHEN $12::boolean THEN $15::text ELSE recurrence_base END',
  recurrenceAnchor: 'CASE WHEN $12::boolean THEN $16::timestamp ELSE recurrence_anchor END',
  recurrenceDone: 'CASE WHEN $12::boolean THEN $17::integer ELSE recurrence_done END',
};
// A PATCH that changes nothing (e.g. completing a completed task) keeps version and updatedAt.
const CHANGED = `(${Object.values(NEXT).join(', ')}) IS DISTINCT FROM
  (title, description, completed, priority, tags, due_at, recurrence, time_zone, recurrence_base, recurrence_anchor, recurrence_done)`;

// $11: the versions If-Match allows (null: any).
const UPDATE_TASK = `
  UPDATE tasks SET
    title = ${NEXT.title},
    description = ${NEXT.description},
    completed = ${NEXT.completed},
    completed_at = CASE WHEN ${NEXT.completed} THEN coalesce(completed_at, now()) END,
    priority = ${NEXT.priority},
    tags = ${NEXT.tags},
    due_at = ${NEXT.dueAt},
    recurrence = ${NEXT.recurrence},
    time_zone = ${NEXT.timeZone},
    recurrence_base = ${NEXT.recurrenceBase},
    recurrence_anchor = ${NEXT.recurrenceAnchor},
    recurrence_done = ${NEXT.recurrenceDone},
    version = version + CASE WHEN ${CHANGED} THEN 1 ELSE 0 END,
    updated_at = CASE WHEN ${CHANGED} THEN now() ELSE updated_at END
  WHERE owner_id = $1 AND id = $2 AND ($11::int[] IS NULL OR version = ANY($11::int[]))
    AND ($12::boolean OR recurrence IS NULL OR NOT ($6::boolean IS TRUE OR $9::boolean))
  RETURNING ${TASK_COLUMNS}`;

/**
 * Applies the changes, only while the task is at one of `allowedVersions`; no row when it is not
 * (or does not exist). The version check and the write are one statement, so two updates made with
 * the same If-Match can never both succeed: the second waits for the first's row lock, then sees
 * the new version and matches nothing.
 */
export function updateTaskStatement({ ownerId, id, changes, schedule, allowedVersions }: TaskUpdate): Statement {
  const { title, description, completed, priority, tags, dueAt } = changes;
  return {
    text: UPDATE_TASK,
    values: [
      ...[ownerId, id, title ?? null, description !== undefined, description ?? null, completed ?? null, priority ?? null, tags ?? null, dueAt !== undefined, dueAt ?? null, allowedVersions],
      ...[schedule !== undefined, ...(schedule ? scheduleValues(schedule) : [null, null, null, null, null])],
    ],
  };
}

const TOGGLE_COMPLETED = `
  UPDATE tasks SET
    completed = NOT completed,
    completed_at = CASE WHEN completed THEN NULL ELSE now() END,
    version = version + 1,
    updated_at = now()
  WHERE owner_id = $1 AND id = $2 AND (recurrence IS NULL OR completed)
  RETURNING ${TASK_COLUMNS}`;

/** Flips `completed`; no row when there is no such task, or it is an open recurring one (completing it advances it: RecurringTasks). */
export function toggleCompletedStatement({ ownerId, id }: TaskKey): Statement {
  return { text: TOGGLE_COMPLETED, values: [ownerId, id] };
}

/** Tags compare ignoring case; each is shown in its most used spelling. */
const LIST_TAGS = `
  SELECT mode() WITHIN GROUP (ORDER BY tag) AS name,
         (count(*) FILTER (WHERE NOT completed))::int AS open,
         count(*)::int AS total
  FROM tasks CROSS JOIN LATERAL unnest(tags) AS tag
  WHERE owner_id = $1
  GROUP BY lower(tag)
  ORDER BY lower(tag) COLLATE "C"`;

export function listTagsStatement({ ownerId }: { ownerId: string }): Statement {
  return { text: LIST_TAGS, values: [ownerId] };
}

const CLAIM_IDEMPOTENCY_KEY = `
  INSERT INTO idempotency_keys AS k (owner_id, key, request_hash, expires_at)
  VALUES ($1, $2, $3, now() + interval '24 hours')
  ON CONFLICT (owner_id, key) DO UPDATE
    SET request_hash = excluded.request_hash, task_id = NULL, response = NULL, created_at = now(), expires_at = excluded.expires_at
    WHERE k.expires_at <= now()
  RETURNING 1`;

/** Claims an Idempotency-Key for 24 hours, or takes over an expired record of it; no row when it is taken. */
export function claimIdempotencyKeyStatement({ ownerId, key, fingerprint }: { ownerId: string; key: string; fingerprint: string }): Statement {
  return { text: CLAIM_IDEMPOTENCY_KEY, values: [ownerId, key, fingerprint] };
}
